-- Drives finc's language server from Neovim's built-in client (0.7+), headless:
--   FINC_SERVER=dist/server.cjs FINC_SPEC=<file.fin> FINC_OUT=<out.jsonl> nvim --headless -u NONE -c "luafile <this file>"
-- Prints one JSON line per feature to FINC_OUT; test/language-server/neovim.test.ts asserts them.
local out = {}
local function put(name, value) out[#out + 1] = vim.fn.json_encode({ feature = name, value = value }) end
local spec = os.getenv("FINC_SPEC")
vim.cmd("edit " .. spec)
local buf = vim.api.nvim_get_current_buf()
local client = vim.lsp.start_client({
  name = "finc",
  cmd = { "node", os.getenv("FINC_SERVER"), "--stdio" },
  root_dir = vim.fn.fnamemodify(spec, ":h"),
})
vim.lsp.buf_attach_client(buf, client)
local c = vim.lsp.get_client_by_id(client)
vim.wait(10000, function() return c.initialized end, 50)
vim.wait(10000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
local diags = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do diags[#diags + 1] = { line = d.lnum, code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code), message = d.message } end
put("diagnostics", diags)
local uri = vim.uri_from_bufnr(buf)
local function req(method, params)
  local r = c.request_sync(method, params, 10000, buf)
  if not r then return { error = "timeout" } end
  if r.err then return { error = r.err.message } end
  return r.result
end
local function at(line, character) return { textDocument = { uri = uri }, position = { line = line, character = character } } end
-- Completion on the blank line in `ledger`'s body (line 19, 0-based), hover on `api`, definition of `ledger` after `calls`.
local completion = req("textDocument/completion", at(19, 2))
local items = completion and (completion.items or completion) or {}
local labels = {}
for _, i in ipairs(items) do labels[#labels + 1] = i.label end
put("completion", labels)
local hover = req("textDocument/hover", at(10, 9))
put("hover", hover and hover.contents or vim.NIL)
put("definition", req("textDocument/definition", at(13, 12)))
local symbols = req("textDocument/documentSymbol", { textDocument = { uri = uri } })
local names = {}
for _, s in ipairs(symbols or {}) do names[#names + 1] = s.name end
put("symbols", names)
put("formatting", req("textDocument/formatting", { textDocument = { uri = uri }, options = { tabSize = 2, insertSpaces = true } }))
vim.fn.writefile(out, os.getenv("FINC_OUT"))
c.stop()
vim.cmd("qa!")
