--- Puts `<install_path>/bin` (the links BackendInstall made) on PATH. mise calls this often
--- (every `mise exec`, shim and prompt), so it runs no command: the directory is fixed.
function PLUGIN:BackendExecEnv(ctx)
  local sep = package.config:sub(1, 1)
  return {
    env_vars = {
      { key = "PATH", value = ctx.install_path .. sep .. "bin" },
    },
  }
end
