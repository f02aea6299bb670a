--- `mise ls-remote toolget:<tool>`: toolget lists the releases, oldest first, which is the
--- order mise needs (it takes the last entry as `latest` and does not sort).
local toolget = require("toolget")

function PLUGIN:BackendListVersions(ctx)
  local spec = toolget.spec(ctx, false)
  local out = toolget.run({ "versions", spec, "--json" })
  local listing = toolget.decode(out, "toolget versions " .. spec .. " --json")
  local versions = {}
  for _, entry in ipairs(listing.versions or {}) do
    -- Prereleases stay out of the list so that mise's `latest` (the last entry) is the newest
    -- stable release, as it is for toolget. An exact prerelease version still installs: mise
    -- passes a version it did not list straight to BackendInstall.
    if not entry.prerelease then
      table.insert(versions, entry.version)
    end
  end
  return { versions = versions }
end
