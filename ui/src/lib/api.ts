/** Typed wrappers over the app's Tauri commands (see src-tauri/src/commands.rs). */
import { invoke } from "@tauri-apps/api/core";
import type { ArticleSummary, ArticleView } from "../bindings";

/** The one error shape every command rejects with. */
export interface CommandError {
  kind: string;
  message: string;
}

/** Normalizes anything a command rejected with into a {@link CommandError}. */
export function toCommandError(error: unknown): CommandError {
  if (typeof error === "object" && error !== null && "kind" in error && "message" in error) {
    return { kind: String(error.kind), message: String(error.message) };
  }
  return { kind: "internal", message: String(error) };
}

export function listArticles(): Promise<ArticleSummary[]> {
  return invoke<ArticleSummary[]>("list_articles");
}

export function getArticle(id: number): Promise<ArticleView> {
  return invoke<ArticleView>("get_article", { id });
}
