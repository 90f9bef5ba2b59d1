-- The link policy of essaimage (src/essaimage/links.py, is_safe_link), for pandoc: a link of the
-- HTML given to pandoc stays a link in the ODT or DOCX document only when it is a web page
-- (http://, https:// with a host), an e-mail address (mailto:) or an anchor of the document
-- (#section); any other (smb:, ms-msdt:, file:, a relative or //host path…) becomes its text.
-- The address is read as links.py reads it (controls and spaces around it, tabs and line
-- breaks inside it dropped, the scheme in any case, \ as /). tests/test_safety_links.py checks
-- that this filter keeps no link links.py refuses.

local function read(url)
  url = url:gsub("^[%c ]+", ""):gsub("[%c ]+$", ""):gsub("[\t\n\r]", "")
  return url
end

local function safe(url)
  local text = read(url)
  if text:sub(1, 1) == "#" then
    return #text > 1
  end
  local lower = text:lower()
  if lower:match("^mailto:.") then
    return true
  end
  local rest = lower:match("^https?:(.*)$")
  if not rest then
    return false
  end
  rest = rest:gsub("\\", "/")
  return rest:match("^//[^/?#]") ~= nil
end

function Link(link)
  if safe(link.target) then
    return nil
  end
  return link.content
end
