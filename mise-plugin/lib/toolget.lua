--- Shared helpers for the hooks: find the toolget binary, build a spec from mise's context,
--- run toolget without going through shell word-splitting, and turn its failures into errors
--- that show toolget's own message. Nothing here decides which asset or version to use.
local M = {}

local cmd = require("cmd")
local json = require("json")

local is_windows = package.config:sub(1, 1) == "\\"

--- Options mise interprets itself and still hands to the plugin; toolget would reject them as
--- unknown, so they are not forwarded. Every other option goes to toolget, which validates it
--- (an unknown key fails there with a list of the known ones).
local MISE_OWN_OPTIONS = { postinstall = true, os = true, install_env = true, depends = true }

local HOW_TO_INSTALL = "Install toolget (from a checkout of its repository: `cargo install --locked --path .`) "
  .. "and put it on PATH, or set TOOLGET_BIN to the absolute path of the toolget binary. "
  .. "mise removes its own shims from PATH while it runs plugins, so a toolget installed by mise "
  .. "is not found that way: set TOOLGET_BIN=\"$(mise which toolget)\"."

local function exists(path)
  local f = io.open(path, "r")
  if f then
    f:close()
    return true
  end
  return false
end

--- The toolget binary: $TOOLGET_BIN, else the first `toolget` on PATH.
function M.bin()
  local explicit = os.getenv("TOOLGET_BIN")
  if explicit and explicit ~= "" then
    if not exists(explicit) then
      error("TOOLGET_BIN is " .. explicit .. ", which does not exist. " .. HOW_TO_INSTALL, 0)
    end
    return explicit
  end
  local sep = is_windows and ";" or ":"
  local names = is_windows and { "toolget.exe", "toolget" } or { "toolget" }
  for dir in string.gmatch(os.getenv("PATH") or "", "[^" .. sep .. "]+") do
    for _, name in ipairs(names) do
      local candidate = dir .. (is_windows and "\\" or "/") .. name
      if exists(candidate) then
        return candidate
      end
    end
  end
  error("toolget is not on PATH. " .. HOW_TO_INSTALL, 0)
end

--- Quotes one argument for the shell cmd.exec runs (sh -c on Unix, cmd /C on Windows).
function M.quote(arg)
  arg = tostring(arg)
  if is_windows then
    -- cmd.exe has no escape for a double quote inside a quoted argument.
    if arg:find('"', 1, true) then
      error("toolget plugin: cannot pass an argument containing a double quote on Windows: " .. arg, 0)
    end
    return '"' .. arg .. '"'
  end
  return "'" .. arg:gsub("'", "'\\''") .. "'"
end

--- `tool[opts]@version` for toolget from mise's ctx. mise hands the tool without the
--- plugin prefix (`sccache`, `mozilla/sccache`) and options as strings. Keys are sorted so the
--- same options always give the same spec, and `matching_regex` goes last because toolget's
--- grammar lets only that value contain `,`, `]` and `=`.
function M.spec(ctx, with_version)
  local keys = {}
  local has_regex = false
  for key, value in pairs(ctx.options or {}) do
    -- mise 2026.9 hands every value over as a string; a table (a TOML array or inline table,
    -- should a later mise keep TOML types) has no spelling in toolget's spec grammar.
    if type(value) == "table" and not MISE_OWN_OPTIONS[key] then
      error("toolget plugin: option `" .. key .. "` must be a single value, not a list or table", 0)
    end
    if not MISE_OWN_OPTIONS[key] then
      if key == "matching_regex" then
        has_regex = true
      else
        table.insert(keys, key)
      end
    end
  end
  table.sort(keys)
  if has_regex then
    table.insert(keys, "matching_regex")
  end
  local pairs_ = {}
  for _, key in ipairs(keys) do
    table.insert(pairs_, key .. "=" .. tostring(ctx.options[key]))
  end
  local spec = ctx.tool
  if #pairs_ > 0 then
    spec = spec .. "[" .. table.concat(pairs_, ",") .. "]"
  end
  if with_version and ctx.version and ctx.version ~= "" then
    spec = spec .. "@" .. ctx.version
  end
  return spec
end

--- Reduces cmd.exec's error ("runtime error: Command failed with status exit status: 3:
--- <stderr>" plus a Lua traceback) to toolget's exit code and stderr.
local function failure(err)
  local text = tostring(err)
  text = text:gsub("^runtime error: ", "")
  text = text:gsub("%s*stack traceback:.*$", "")
  local code, rest = text:match("^Command failed with status exit status: (%d+):%s*(.*)$")
  if code then
    return tonumber(code), rest
  end
  local status, message = text:match("^Command failed with status ([^\n]-):%s*(.*)$")
  if status then
    return status, message
  end
  return nil, text
end

--- Runs toolget with `args` (a list, each quoted), returns its stdout. On failure raises an
--- error whose text is toolget's stderr (`error: …` and `hint: …` lines) prefixed with what
--- was run, so mise's "Failed to install" line carries toolget's reason.
function M.run(args)
  local bin = M.bin()
  local parts = { M.quote(bin) }
  for _, arg in ipairs(args) do
    table.insert(parts, M.quote(arg))
  end
  local ok, out = pcall(cmd.exec, table.concat(parts, " "))
  if ok then
    return out
  end
  local code, message = failure(out)
  message = (message or ""):gsub("%s+$", "")
  if message == "" then
    message = "(toolget printed nothing on stderr)"
  end
  local shown = "toolget"
  for _, arg in ipairs(args) do
    shown = shown .. " " .. arg
  end
  error(string.format("`%s` failed (exit %s):\n%s", shown, tostring(code or "?"), message), 0)
end

--- Decodes one JSON document, naming the command on failure.
function M.decode(text, what)
  local ok, value = pcall(json.decode, text)
  if not ok or type(value) ~= "table" then
    error("toolget plugin: `" .. what .. "` did not print the JSON expected: " .. tostring(text), 0)
  end
  return value
end

M.is_windows = is_windows
return M
