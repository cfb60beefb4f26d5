/** The attribute that marks a paid fragment and names its source: `<div data-micro-raiden-src="https://…">`. */
export const fragmentSourceAttribute = "data-micro-raiden-src";
