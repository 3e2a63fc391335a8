-- asynclint's language server with nothing but Neovim's own client (0.8+): copy into your init.lua, or
-- `dofile` this file. Starts (or reuses) one server per workspace for each JavaScript/TypeScript buffer.
local function workspace_root(bufnr)
  local file = vim.api.nvim_buf_get_name(bufnr)
  local found = vim.fs.find({ 'asynclint.json', 'package.json', '.git' }, { upward = true, path = vim.fs.dirname(file) })[1]
  return found and vim.fs.dirname(found) or vim.fn.getcwd()
end

vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'javascript', 'javascriptreact', 'typescript', 'typescriptreact' },
  group = vim.api.nvim_create_augroup('asynclint-lsp', { clear = true }),
  callback = function(event)
    vim.lsp.start({
      name = 'asynclint',
      cmd = { 'asynclint', 'lsp' },
      root_dir = workspace_root(event.buf),
      init_options = {},  -- e.g. { rules = { ['sequential-await'] = 'off' } }
    })
  end,
})
