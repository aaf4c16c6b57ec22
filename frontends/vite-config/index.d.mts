// Types of index.mjs for the apps' vite.config.ts files.
import type { UserConfig } from 'vite';

export declare const REMOTES: { readonly auth: 4201; readonly payments: 4202; readonly admin: 4203 };
export declare const SHARED: Record<string, { version?: string }>;
export declare function remoteConfig(options: { root: string; name: keyof typeof REMOTES; exposes: Record<string, string> }): UserConfig;
export declare function hostConfig(options: { root: string; apiTarget?: string }): UserConfig;
