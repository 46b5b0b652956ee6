/* Generated from package.json by `npm run gen:types` (run by `npm version`). Do not edit. */
export const PACKAGE_NAME = "flink-prometheus-stack";
export const PACKAGE_VERSION = "0.1.0";
