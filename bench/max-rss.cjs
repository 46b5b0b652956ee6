// Preloaded (-r) into a measured CLI process: reports its peak RSS on stderr at exit, for bench/run.ts.
process.on("exit", () => require("node:fs").writeSync(2, `\nbench-max-rss-kb ${process.resourceUsage().maxRSS}\n`));
