/** @type {import('@sveltejs/vite-plugin-svelte').SvelteConfig} */
export default {
  // Svelte 5 idiom throughout: $props, $state, $effect.
  compilerOptions: { runes: true },
};
