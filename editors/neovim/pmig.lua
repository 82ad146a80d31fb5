-- pmigc's language server in Neovim (0.8 or later). Put this file in your config's `plugin/`
-- directory (or `require` it from init.lua); `pmigc` must be on PATH.
vim.filetype.add({ extension = { pmig = "pmig" } })

vim.api.nvim_create_autocmd("FileType", {
  pattern = "pmig",
  callback = function(args)
    vim.bo[args.buf].commentstring = "# %s"
    vim.lsp.start({
      name = "pmigc",
      cmd = { "pmigc", "lsp" },
      -- The directory holding `stacks/` or `.git` above the stack, else the stack's own.
      root_dir = vim.fs.dirname(
        vim.fs.find({ "stacks", ".git" }, { upward = true, path = vim.fs.dirname(args.file) })[1]
          or args.file
      ),
    })
  end,
})

-- Format on save through `pmigc fmt` (the server's textDocument/formatting).
vim.api.nvim_create_autocmd("BufWritePre", {
  pattern = "*.pmig",
  callback = function() vim.lsp.buf.format({ async = false }) end,
})
