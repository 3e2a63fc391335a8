-- asynclint's language server for Neovim, in the shape nvim-lspconfig's configurations have
-- (`lsp/<name>.lua`). Neovim 0.11+: put this folder on 'runtimepath' (or copy the file into
-- ~/.config/nvim/lsp/) and call `vim.lsp.enable('asynclint')`. It runs next to any TypeScript server.
return {
  cmd = { 'asynclint', 'lsp' },
  filetypes = { 'javascript', 'javascriptreact', 'typescript', 'typescriptreact' },
  -- The nearest of these folders is the workspace; asynclint.json itself is found per file, as on the
  -- command line.
  root_markers = { 'asynclint.json', 'package.json', '.git' },
  -- The "asynclint" settings section: what the server reads from initializationOptions and
  -- workspace/configuration.
  init_options = {
    -- rules = { ['sequential-await'] = 'off' },  -- severity overrides on top of asynclint.json
    -- debounceMs = 50,
  },
  settings = {
    asynclint = {},
  },
}
