// @micro-raiden/demo-server: the demo site (paid articles, a dynamic price) on top of @micro-raiden/receiver.
export { articles, createDemoApp, demoPrice, demoRoutes, pricePerCharacter } from "./createDemoApp.ts";
export { type DemoPorts, demoDatabase, demoRunDirectory } from "./demoRun.ts";
