// Lets TypeScript accept `import './style.css'`: esbuild's css loader turns it into dist/webview/main.css.
declare module '*.css';
