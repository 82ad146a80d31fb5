-- pmigc's language server in Neovim (0.7 or later): put this file in ~/.config/nvim/plugin/
-- (or `dofile` it from init.lua). `pmigc` must be on PATH, or set `vim.g.pmigc_path`.
-- .pmig files get their filetype, one `pmigc lsp` per working directory, `#` comments, and
-- `pmigc fmt` on save (the server's formatting).
vim.filetype.add({ extension = { pmig = "pmig" } })
-- Neovim 0.7 reads `vim.filetype.add` only with `vim.g.do_filetype_lua`; this works with both.
vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
  pattern = "*.pmig",
  command = "set filetype=pmig",
})

local clients = {}

vim.api.nvim_create_autocmd("FileType", {
  pattern = "pmig",
  callback = function(args)
    vim.bo[args.buf].commentstring = "# %s"
    local root = vim.fn.getcwd()
    if not clients[root] or vim.lsp.client_is_stopped(clients[root]) then
      clients[root] = vim.lsp.start_client({
        name = "pmigc",
        cmd = { vim.g.pmigc_path or "pmigc", "lsp" },
        root_dir = root,
      })
    end
    vim.lsp.buf_attach_client(args.buf, clients[root])
  end,
})

vim.api.nvim_create_autocmd("BufWritePre", {
  pattern = "*.pmig",
  callback = function()
    if vim.lsp.buf.format then
      vim.lsp.buf.format({ async = false })
    else
      vim.lsp.buf.formatting_sync(nil, 3000)
    end
  end,
})
