-- Neovim's built-in LSP client against `asynclint lsp`, headless (CTest runs it as `lsp-neovim`):
--   nvim --headless -u NONE -i NONE -n -c "luafile tests/lsp/neovim.lua"
-- with ASYNCLINT set to the binary. The client is started by the configuration editors/neovim ships for this
-- Neovim, loaded as a user loads it: editors/neovim/asynclint.lua (dofile) before 0.11,
-- editors/neovim/lsp/asynclint.lua (runtimepath + vim.lsp.enable) from 0.11; both run `asynclint` from
-- PATH, so the binary's folder goes first on PATH. Opens a fixture, receives its diagnostics, edits the
-- buffer (with non-ASCII text, so columns go through UTF-16 both ways), receives the updated diagnostics,
-- asks for a code action, applies it, and checks the finding is gone. The buffer is never written. Exits 0
-- on success.
local source_dir = os.getenv('ASYNCLINT_SOURCE_DIR') or vim.fn.getcwd()
local bin = os.getenv('ASYNCLINT') or (source_dir .. '/build/asynclint')
local fixture = source_dir .. '/tests/lsp/fixtures/neovim.ts'
local shipped = source_dir .. '/editors/neovim'
local timeout_ms = 10000

local function fail(message)
  io.stderr:write('neovim LSP test FAILED: ' .. message .. '\n')
  vim.cmd('cquit 1')
end

local function expect(condition, message)
  if not condition then error(message, 2) end
end

-- The asynclint diagnostics of a buffer, sorted by position, as "code@line:col" (0-based, byte columns:
-- Neovim converts the server's UTF-16 positions itself).
local function findings(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    table.insert(out, { key = string.format('%s@%d:%d', code, d.lnum, d.col), diagnostic = d })
  end
  table.sort(out, function(a, b) return a.key < b.key end)
  return out
end

local function keys(list)
  local out = {}
  for _, item in ipairs(list) do table.insert(out, item.key) end
  return table.concat(out, ', ')
end

local function wait_for_findings(bufnr, wanted, what)
  local ok = vim.wait(timeout_ms, function() return keys(findings(bufnr)) == wanted end, 20)
  expect(ok, string.format('%s: expected [%s], have [%s]', what, wanted, keys(findings(bufnr))))
end

-- The asynclint client attached to the buffer (vim.lsp.get_clients is 0.10+, buf_get_clients older).
local function attached_client(bufnr)
  local list = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr }) or vim.lsp.buf_get_clients(bufnr)
  for _, client in pairs(list) do
    if client.name == 'asynclint' then return client end
  end
end

local function run()
  expect(vim.fn.executable(bin) == 1, 'no asynclint binary at ' .. bin)
  expect(vim.fn.fnamemodify(bin, ':t') == 'asynclint', 'the shipped configurations run "asynclint": ' .. bin)
  vim.env.PATH = vim.fn.fnamemodify(bin, ':p:h') .. ':' .. vim.env.PATH
  vim.cmd('filetype on')  -- -u NONE leaves it off; the configurations start on FileType
  if vim.lsp.enable then
    vim.opt.runtimepath:prepend(shipped)
    vim.lsp.enable('asynclint')
  else
    dofile(shipped .. '/asynclint.lua')
    -- The 0.11+ file is still Lua that returns a configuration with the command and file types.
    local config = dofile(shipped .. '/lsp/asynclint.lua')
    expect(vim.deep_equal(config.cmd, { 'asynclint', 'lsp' }), 'lsp/asynclint.lua cmd: ' .. vim.inspect(config.cmd))
    expect(vim.tbl_contains(config.filetypes, 'typescript'), 'lsp/asynclint.lua filetypes: ' .. vim.inspect(config.filetypes))
  end
  vim.cmd('edit ' .. vim.fn.fnameescape(fixture))
  local bufnr = vim.api.nvim_get_current_buf()
  expect(vim.bo[bufnr].filetype == 'typescript', 'filetype is ' .. vim.bo[bufnr].filetype)
  expect(vim.wait(timeout_ms, function() return attached_client(bufnr) ~= nil end, 20), 'no asynclint client attached')
  local client_id = attached_client(bufnr).id

  -- 1. The fixture's one finding: `save(id);` on line 7 (0-based 6), column 2.
  wait_for_findings(bufnr, 'floating-promise@6:2', 'after opening')
  local first = findings(bufnr)[1].diagnostic
  expect(first.source == 'asynclint', 'source is ' .. tostring(first.source))
  expect(first.severity == vim.diagnostic.severity.ERROR, 'severity is ' .. tostring(first.severity))

  -- 2. Edit: a new line whose finding comes after emoji and CJK text. Its byte column in Neovim is the
  -- length of the Lua string before it (Lua strings are bytes); the server counted UTF-16 units.
  local prefix = '  const label = "中文😀👍🏽"; '
  vim.api.nvim_buf_set_lines(bufnr, 7, 7, true, { prefix .. 'save(label);' })
  wait_for_findings(bufnr, string.format('floating-promise@6:2, floating-promise@7:%d', #prefix), 'after the edit')

  -- 3. Hover on the new finding mentions the rule.
  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = 7, character = select(2, vim.str_utfindex(prefix)) + 1 },  -- UTF-16 units
  }, timeout_ms)
  local hover_text = hover and hover[client_id] and hover[client_id].result and hover[client_id].result.contents.value or ''
  expect(hover_text:find('floating-promise', 1, true), 'hover: ' .. vim.inspect(hover))

  -- 4. Code action on the first finding: its first suggestion, applied as Neovim applies any WorkspaceEdit.
  local target = findings(bufnr)[1].diagnostic
  local lsp_diagnostic = target.user_data and target.user_data.lsp
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = 6, character = 2 }, ['end'] = { line = 6, character = 2 } },
    context = { diagnostics = { lsp_diagnostic } },
  }, timeout_ms)
  local actions = responses and responses[client_id] and responses[client_id].result or {}
  local quickfix
  for _, action in ipairs(actions) do
    if action.kind == 'quickfix' and action.edit and action.isPreferred then quickfix = action end
  end
  expect(quickfix, 'no preferred quickfix among ' .. vim.inspect(actions))
  local client = vim.lsp.get_client_by_id(client_id)
  vim.lsp.util.apply_workspace_edit(quickfix.edit, client.offset_encoding)
  -- The preferred fix handles the rejection: a `.catch` after the call, indented as the file is.
  local lines = table.concat(vim.api.nvim_buf_get_lines(bufnr, 6, 9, true), '\n')
  local wanted = '  save(id).catch((error) => {\n    console.error(error);\n  });'
  expect(lines == wanted, 'after the code action, lines 7-9 are\n' .. lines)

  -- 5. The finding is gone; the other one stays (two lines further down).
  wait_for_findings(bufnr, string.format('floating-promise@9:%d', #prefix), 'after the code action')

  -- 6. The client shuts the server down (shutdown, then exit).
  vim.lsp.stop_client(client_id)
  expect(vim.wait(timeout_ms, function() return client.is_stopped() end, 20), 'the server did not stop')
end

local ok, message = pcall(run)
if not ok then fail(tostring(message)) end
io.stdout:write('neovim LSP test passed\n')
vim.cmd('qall!')
