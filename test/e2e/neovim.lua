-- Drives Neovim's built-in LSP client (0.7: vim.lsp.start_client + buf_attach_client) against
-- the Port Lens server, the way a user's config would, and writes what it saw as JSON.
-- Inputs come from the environment: PORT_LENS_SERVER (dist/server.js), PORT_LENS_WORKSPACE
-- (a copy of examples/gitlab), PORT_LENS_RESULT (the JSON file to write).
local server = vim.env.PORT_LENS_SERVER
local root = vim.env.PORT_LENS_WORKSPACE
local result_file = vim.env.PORT_LENS_RESULT
local result = { steps = {} }
local TIMEOUT = 60000

local function step(name)
  table.insert(result.steps, name)
end

local function problems(bufnr)
  return vim.diagnostic.get(bufnr, { severity = { min = vim.diagnostic.severity.WARN } })
end

local function run()
  vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/networkpolicies.yaml'))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'yaml'

  local client_id = vim.lsp.start_client({
    name = 'port-lens',
    cmd = { 'node', server, '--stdio' },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = 'gitlab' } },
  })
  assert(client_id, 'the language server did not start')
  vim.lsp.buf_attach_client(bufnr, client_id)
  local client = vim.lsp.get_client_by_id(client_id)
  step('started')

  assert(vim.wait(TIMEOUT, function() return #problems(bufnr) > 0 end, 50), 'no diagnostic arrived')
  result.diagnostics = {}
  for _, d in ipairs(problems(bufnr)) do
    table.insert(result.diagnostics, {
      line = d.lnum, col = d.col, end_col = d.end_col, severity = d.severity,
      code = d.user_data and d.user_data.lsp and d.user_data.lsp.code or vim.NIL,
      source = d.source, message = d.message,
    })
  end
  step('diagnostics')

  local warning = problems(bufnr)[1]
  local position = { line = warning.lnum, character = warning.col + 2 }
  local hover = client.request_sync('textDocument/hover', {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    position = position,
  }, TIMEOUT, bufnr)
  assert(hover and hover.result, 'no hover: ' .. vim.inspect(hover))
  result.hover = table.concat(vim.lsp.util.convert_input_to_markdown_lines(hover.result.contents), '\n')
  step('hover')

  local line_diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, warning.lnum)
  local actions = client.request_sync('textDocument/codeAction', {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    range = { start = position, ['end'] = position },
    context = { diagnostics = line_diagnostics, only = { 'quickfix' } },
  }, TIMEOUT, bufnr)
  assert(actions and actions.result, 'no code actions: ' .. vim.inspect(actions))
  result.actions = {}
  local preferred
  for _, action in ipairs(actions.result) do
    table.insert(result.actions, { title = action.title, isPreferred = action.isPreferred == true })
    if action.isPreferred and not preferred then preferred = action end
  end
  assert(preferred, 'no preferred fix')
  step('code actions')

  vim.lsp.util.apply_workspace_edit(preferred.edit, client.offset_encoding)
  vim.cmd('write')
  step('fixed and written')

  result.cleared = vim.wait(TIMEOUT, function() return #problems(bufnr) == 0 end, 50)
  step('diagnostics after the fix')
  client.stop()
  vim.wait(5000, function() return client.is_stopped() end, 50)
end

local ok, err = pcall(run)
if not ok then result.error = tostring(err) end
local file = assert(io.open(result_file, 'w'))
file:write(vim.fn.json_encode(result))
file:close()
vim.cmd('qall!')
