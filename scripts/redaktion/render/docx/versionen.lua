-- The version history in the Word document's imprint, after beitrag.lua has built it.
--
-- Each `versionen` metadata entry (plain strings from the renderer, never Markdown) holds four
-- tab-separated fields: number, date and note, the adopting session („verabschiedet in der
-- Sitzung am … in …“, may be empty) and its public address (may be empty). Each becomes an
-- imprint line „Version 1.0: …“; the session is a link where there is an address. The lines
-- follow the line „Ausgabe: …“ (or open the document when there is none).

local function text(value)
  if value == nil then return "" end
  return pandoc.utils.stringify(value)
end

local function entries(value)
  local items = {}
  if type(value) == "table" and value.t ~= "MetaString" and value.t ~= "MetaInlines" and #value > 0 then
    for _, item in ipairs(value) do items[#items + 1] = text(item) end
  elseif text(value) ~= "" then
    items[1] = text(value)
  end
  return items
end

local function split(entry)
  local fields = {}
  for field in (entry .. "\t"):gmatch("([^\t]*)\t") do fields[#fields + 1] = field end
  return fields
end

local function version_line(entry)
  local fields = split(entry)
  local number, history, session, url = fields[1] or "", fields[2] or "", fields[3] or "", fields[4] or ""
  local inlines = pandoc.Inlines({ pandoc.Strong(pandoc.Inlines("Version " .. number .. ": ")) })
  inlines:extend(pandoc.Inlines(history))
  if session ~= "" then
    inlines:extend(pandoc.Inlines(" – "))
    if url ~= "" then
      inlines:insert(pandoc.Link(pandoc.Inlines(session), url))
    else
      inlines:extend(pandoc.Inlines(session))
    end
  end
  return pandoc.Div({ pandoc.Para(inlines) }, pandoc.Attr("", {}, { ["custom-style"] = "Impressum" }))
end

local function is_edition_line(block)
  return block.t == "Div" and block.attributes["custom-style"] == "Impressum"
    and pandoc.utils.stringify(block):match("^Ausgabe:") ~= nil
end

function Pandoc(doc)
  local lines = {}
  for _, entry in ipairs(entries(doc.meta.versionen)) do lines[#lines + 1] = version_line(entry) end
  if #lines == 0 then return nil end
  local position = 0
  for index, block in ipairs(doc.blocks) do
    if is_edition_line(block) then position = index break end
  end
  for offset, line in ipairs(lines) do doc.blocks:insert(position + offset, line) end
  return doc
end
