// The dashboard is served from "/" by tallyd and `tally dashboard`; relative asset paths keep it
// working under any prefix. One chunk: the pages are small and share Plot and d3.
import { defineConfig } from "vite";

export default defineConfig({
  base: "./",
  build: {
    outDir: "dist",
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 600,
    reportCompressedSize: true,
    modulePreload: { polyfill: false },
  },
  test: {
    environment: "node",
    include: ["test/**/*.test.js"],
  },
});
