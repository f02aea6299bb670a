--- `mise install toolget:<tool>@<version>`: toolget downloads, verifies and installs into its
--- own store; the executables it reports are then symlinked into `<install_path>/bin`, which
--- BackendExecEnv puts on PATH. One copy on disk and one verification, shared with plain
--- `toolget install` and with every other spelling of the same tool.
local toolget = require("toolget")

function PLUGIN:BackendInstall(ctx)
  local spec = toolget.spec(ctx, true)
  local out = toolget.run({ "install", spec, "--json", "--quiet" })

  local executables = {}
  for line in out:gmatch("[^\r\n]+") do
    if line:match("%S") then
      local record = toolget.decode(line, "toolget install " .. spec .. " --json --quiet")
      for _, exe in ipairs(record.executables or {}) do
        -- The name becomes a file name in bin/ and the path a link target: refuse anything
        -- that is not a plain name and an absolute path rather than link somewhere odd.
        local name, path = exe.name, exe.path
        local absolute = type(path) == "string" and (path:sub(1, 1) == "/" or path:match("^%a:[\\/]"))
        if type(name) ~= "string" or name == "" or name:find("[/\\]") or name == "." or name == ".." or not absolute then
          error("toolget plugin: `toolget install " .. spec .. "` reported an unusable executable: name "
            .. tostring(name) .. ", path " .. tostring(path), 0)
        end
        table.insert(executables, exe)
      end
    end
  end
  if #executables == 0 then
    error("toolget plugin: `toolget install " .. spec .. "` reported no executables", 0)
  end

  local bin_dir = ctx.install_path .. (toolget.is_windows and "\\bin" or "/bin")
  local script
  if toolget.is_windows then
    -- Symlinks need a privilege on Windows; a copy works everywhere (untested there).
    local steps = { "mkdir " .. toolget.quote(bin_dir) .. " 2>nul" }
    for _, exe in ipairs(executables) do
      -- The store's file name keeps its `.exe`, which Windows needs to run it from PATH.
      local name = exe.path:match("[^\\/]+$")
      table.insert(steps, "copy /Y " .. toolget.quote(exe.path) .. " " .. toolget.quote(bin_dir .. "\\" .. name) .. " >nul")
    end
    script = table.concat(steps, " & ")
  else
    local steps = { "mkdir -p " .. toolget.quote(bin_dir) }
    for _, exe in ipairs(executables) do
      table.insert(steps, "ln -sfn " .. toolget.quote(exe.path) .. " " .. toolget.quote(bin_dir .. "/" .. exe.name))
    end
    script = table.concat(steps, " && ")
  end
  require("cmd").exec(script)
  return {}
end
