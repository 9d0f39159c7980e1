import { vitePreprocess } from "@sveltejs/vite-plugin-svelte";

export default {
  preprocess: vitePreprocess(),
  compilerOptions: {
    // Component CSS goes to the bundled stylesheet: the CSP forbids inline <style>.
    css: "external",
  },
};
