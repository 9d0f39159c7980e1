// Generated from src-tauri's wire types by `cargo test -p quire-desktop desktop_bindings_are_fresh`
// (UPDATE_EXPECT=1 to rewrite). Do not edit by hand.
import type { ErrorKind, Format } from "./bindings";

export type AppEvent = { "type": "dropped", names: Array<string>, } | { "type": "menu", id: string, };

export type CommandErrorKind = ErrorKind | ShellErrorKind;

export type ShellErrorKind = "system" | "internal";

export type ImportApp = { format: Format, label: string, how_to: string, };
