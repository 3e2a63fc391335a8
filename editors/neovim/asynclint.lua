-- asynclint's language server with nothing but Neovim's own client, for Neovim 0.7 to 0.10 (on 0.11 and
-- later, lsp/asynclint.lua with vim.lsp.enable is the simpler way). Copy into your init.lua, or `dofile`
-- this file. Starts one server per workspace and attaches each JavaScript/TypeScript buffer to it.
-- Only APIs that exist since 0.7 are used: vim.fs and vim.lsp.start are 0.8+.
local clients = {}  -- workspace root -> client id

-- The nearest folder above the file that holds one of these markers, else the current directory.
local function workspace_root(bufnr)
  local folder = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ':p:h')
  for _, marker in ipairs({ 'asynclint.json', 'package.json' }) do
    local found = vim.fn.findfile(marker, folder .. ';')
    if found ~= '' then return vim.fn.fnamemodify(found, ':p:h') end
  end
  local git = vim.fn.finddir('.git', folder .. ';')
  if git ~= '' then return vim.fn.fnamemodify(git, ':p:h:h') end
  return vim.fn.getcwd()
end

vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'javascript', 'javascriptreact', 'typescript', 'typescriptreact' },
  group = vim.api.nvim_create_augroup('asynclint-lsp', { clear = true }),
  callback = function(event)
    local root = workspace_root(event.buf)
    local id = clients[root]
    local client = id and vim.lsp.get_client_by_id(id)
    if not client or client.is_stopped() then
      id = vim.lsp.start_client({
        name = 'asynclint',
        cmd = { 'asynclint', 'lsp' },  -- on PATH; or the project's node_modules/.bin/asynclint
        root_dir = root,
        init_options = {},  -- e.g. { rules = { ['sequential-await'] = 'off' } }
      })
      clients[root] = id
    end
    if id then vim.lsp.buf_attach_client(event.buf, id) end
  end,
})
