/**
 * The height a receiver's paid page reserves for the reader's channel status bar (`#micro-raiden-status`, the
 * receiver's `channelStatusBar`) before the script draws it, and the height the widget draws the bar at: one row of
 * figures, meter, sentences and close button at desktop widths. So the article below it does not move as the bar
 * mounts and fills in (no layout shift); a narrow screen wraps the bar taller.
 */
export const channelStatusBarHeight = "4.75rem";
