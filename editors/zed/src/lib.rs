//! Zed extension for asynclint: starts `asynclint lsp` for JavaScript, TypeScript and TSX. Zed itself does
//! the rest (diagnostics, hover, code actions come from the language server).
use zed_extension_api::{self as zed, settings::LspSettings, LanguageServerId, Result};

const SERVER: &str = "asynclint";

struct Asynclint;

impl zed::Extension for Asynclint {
    fn new() -> Self {
        Asynclint
    }

    // The binary: `lsp.asynclint.binary.path` in Zed's settings, else asynclint on the PATH of the
    // worktree's shell. (An extension sees files only through the worktree API, which reads text: it
    // cannot tell whether node_modules/.bin holds an executable, so a project-local binary is named in
    // the settings.)
    fn language_server_command(&mut self, _id: &LanguageServerId, worktree: &zed::Worktree) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree(SERVER, worktree).ok().and_then(|settings| settings.binary);
        let arguments = binary
            .as_ref()
            .and_then(|binary| binary.arguments.clone())
            .unwrap_or_else(|| vec!["lsp".to_string()]);
        if let Some(path) = binary.and_then(|binary| binary.path) {
            return Ok(zed::Command { command: path, args: arguments, env: worktree.shell_env() });
        }
        let path = worktree
            .which(SERVER)
            .ok_or_else(|| "asynclint is not on PATH: install it (./build.sh install) or set lsp.asynclint.binary.path".to_string())?;
        Ok(zed::Command { command: path, args: arguments, env: worktree.shell_env() })
    }

    // `lsp.asynclint.initialization_options` in Zed's settings: the "asynclint" section the server reads.
    fn language_server_initialization_options(
        &mut self,
        _id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        Ok(LspSettings::for_worktree(SERVER, worktree).ok().and_then(|settings| settings.initialization_options))
    }

    // `lsp.asynclint.settings`, answered to the server's workspace/configuration request.
    fn language_server_workspace_configuration(
        &mut self,
        _id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        let settings = LspSettings::for_worktree(SERVER, worktree).ok().and_then(|settings| settings.settings);
        Ok(settings.map(|section| zed::serde_json::json!({ "asynclint": section })))
    }
}

zed::register_extension!(Asynclint);
