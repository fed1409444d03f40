-- Turn the assembled draft into calls of the PDF template's Typst functions.
--
-- * `::::: {.beitrag ...}` divs (one per contribution, carrying provenance attributes) become
--   `#beitrag(kind: ..., members: ...)[ ... ]`; in internal drafts a provenance line
--   (`#beitragsvermerk`) follows the contribution's heading.
-- * `::: {.redaktionsnotiz}` divs become `#redaktionsnotiz[ ... ]` in internal drafts and are
--   dropped otherwise (defence in depth: public drafts should not contain them at all).
-- * `::: {.diagramm chart=… alt=…}` divs become `#diagramm(...)` figures (SVG drawn by the
--   renderer), `::: {.datenquelle}` the small source line under a data table.
-- * `::: {.absatz #id label="B3.2"}` divs (each numbered paragraph of a draft) get the
--   template's `#absatz("B3.2")` at the start of their first line and `#absatzende()` at the
--   end of their last one: the paragraph number in the margin, and the marks from which the
--   renderer records which lines of the PDF belong to which paragraph. Only drafts have them.
-- * Images get their alt text (pandoc's Typst writer leaves `alt:` out) and a root-relative
--   path, so Typst resolves them against the project root and rejects `../` escapes.
--
-- The metadata field `entwurf` (set with `-M entwurf=true`) selects the internal variant.
-- Every attribute value is written as an escaped Typst string, never as markup.

local entwurf = false

local STATUS_LABELS = {
  ["eingereicht"] = "Eingereicht",
  ["in-pruefung"] = "In Prüfung",
  ["angenommen"] = "Angenommen",
  ["abgelehnt"] = "Abgelehnt",
  ["zurueckgezogen"] = "Zurückgezogen",
}

--- A Typst string literal for any text.
local function typst_string(value)
  local s = value or ""
  s = s:gsub("\\", "\\\\")
  s = s:gsub('"', '\\"')
  s = s:gsub("\r", "\\r")
  s = s:gsub("\n", "\\n")
  s = s:gsub("\t", "\\t")
  return '"' .. s .. '"'
end

--- Member names as written in the draft ("A; B") for display ("A, B").
local function names(value)
  local s = (value or ""):gsub("; ", ", ")
  return s
end

local function call(name, args)
  local parts = {}
  for _, pair in ipairs(args) do
    parts[#parts + 1] = pair[1] .. ": " .. typst_string(pair[2])
  end
  return "#" .. name .. "(" .. table.concat(parts, ", ") .. ")"
end

local function provenance(attrs)
  return pandoc.RawBlock("typst", call("beitragsvermerk", {
    { "members", names(attrs["member-names"]) },
    { "authors", names(attrs["authors"]) },
    { "status", STATUS_LABELS[attrs["status"]] or attrs["status"] or "" },
    { "source", attrs["source"] },
  }))
end

local function beitrag(div)
  local attrs = div.attributes
  -- The source markers let the renderer name the contribution a Typst error occurred in.
  local source = (attrs["source"] or ""):gsub("[\r\n]", " ")
  local blocks = pandoc.Blocks({ pandoc.RawBlock("typst", "// redaktion-quelle " .. source) })
  blocks:insert(pandoc.RawBlock("typst", call("beitrag", {
    { "kind", attrs["kind"] or "text" },
    { "members", names(attrs["member-names"]) },
  }) .. "["))
  local marked = not entwurf
  for _, block in ipairs(div.content) do
    blocks:insert(block)
    if not marked and block.t == "Header" then
      blocks:insert(provenance(attrs))
      marked = true
    end
  end
  blocks:insert(pandoc.RawBlock("typst", "]"))
  blocks:insert(pandoc.RawBlock("typst", "// redaktion-quelle -"))
  return blocks
end

--- The div's content as the content argument of the Typst function `name`.
local function wrapped(name, div)
  local blocks = pandoc.Blocks({ pandoc.RawBlock("typst", "#" .. name .. "[") })
  blocks:extend(div.content)
  blocks:insert(pandoc.RawBlock("typst", "]"))
  return blocks
end

local function redaktionsnotiz(div)
  if not entwurf then return pandoc.Blocks({}) end
  return wrapped("redaktionsnotiz", div)
end

--- A chart: the SVG comes from the `diagramme` dictionary that the renderer puts before the
--- body; the div's content is the caption, its `alt` attribute the text alternative.
local function diagramm(div)
  local blocks = pandoc.Blocks({ pandoc.RawBlock("typst", "#diagramm(diagramme.at("
    .. typst_string(div.attributes["chart"]) .. "), alt: " .. typst_string(div.attributes["alt"]) .. ")[") })
  for _, block in ipairs(div.content) do
    if block.t == "Para" then blocks:insert(pandoc.Plain(block.content)) else blocks:insert(block) end
  end
  blocks:insert(pandoc.RawBlock("typst", "]"))
  return blocks
end

local function datenquelle(div)
  return wrapped("datenquelle", div)
end

--- The first (or last) block of a paragraph that holds its text as inlines, not looking into
--- footnotes: a Para or Plain, the first item of a list, the first cell of a table …
local function text_block(block, last)
  local t = block.t
  if t == "Para" or t == "Plain" then return block end
  local children
  if t == "BulletList" or t == "OrderedList" then
    local items = block.content
    children = items[last and #items or 1]
  elseif t == "BlockQuote" or t == "Div" then
    children = block.content
  elseif t == "Figure" then
    children = block.content
  elseif t == "DefinitionList" then
    local item = block.content[last and #block.content or 1]
    if item and not last then return { t = "Term", content = item[1] } end
    children = item and item[2][#item[2]] or nil
  elseif t == "LineBlock" then
    return { t = "Lines", content = block.content[last and #block.content or 1] }
  elseif t == "Table" then
    local cells = {}
    local function add_rows(rows)
      for _, row in ipairs(rows) do
        for _, cell in ipairs(row.cells) do cells[#cells + 1] = cell end
      end
    end
    add_rows(block.head.rows)
    for _, body in ipairs(block.bodies) do add_rows(body.head); add_rows(body.body) end
    add_rows(block.foot.rows)
    local cell = cells[last and #cells or 1]
    children = cell and cell.contents or nil
  end
  if not children or #children == 0 then return nil end
  local from, to, step = 1, #children, 1
  if last then from, to, step = #children, 1, -1 end
  for i = from, to, step do
    local found = text_block(children[i], last)
    if found then return found end
  end
  return nil
end

--- A numbered paragraph: its number at the start of its first line, the end mark after its last.
local function absatz(div)
  local label = div.attributes["label"] or ""
  local blocks = pandoc.Blocks(div.content)
  if not entwurf then return blocks end
  local start = pandoc.RawInline("typst", "#absatz(" .. typst_string(label) .. ");")
  local stop = pandoc.RawInline("typst", "#absatzende();")
  local first = text_block(blocks[1], false)
  local last = text_block(blocks[#blocks], true)
  if first and last then
    first.content:insert(1, start)
    last.content:insert(stop)
    return blocks
  end
  -- A block without inline text (a code block): marks around it.
  blocks:insert(1, pandoc.RawBlock("typst", "#absatz(" .. typst_string(label) .. ")"))
  blocks:insert(pandoc.RawBlock("typst", "#absatzende()"))
  return blocks
end

local function Div(div)
  -- Separates the pieces of a body converted together (see typst_body in __init__.py).
  if div.classes:includes("redaktion-teil") then return pandoc.RawBlock("typst", "// redaktion-teil") end
  if div.classes:includes("absatz") then return absatz(div) end
  if div.classes:includes("beitrag") then return beitrag(div) end
  if div.classes:includes("diagramm") then return diagramm(div) end
  if div.classes:includes("datenquelle") then return datenquelle(div) end
  if div.classes:includes("redaktionsnotiz") then return redaktionsnotiz(div) end
  return nil
end

--- A root-relative path for local images; other targets are left for Typst to reject.
local function image_path(src)
  if src:match("^/") or src:match("^[%a][%w+.-]*:") then return src end
  return "/" .. src
end

--- A thematic break (---, ***, ___) as the template's dividing line.
local function HorizontalRule()
  return pandoc.RawBlock("typst", "#trennlinie()")
end

local function Image(img)
  local alt = pandoc.utils.stringify(img.caption)
  if alt == "" then alt = img.title or "" end
  -- The trailing semicolon ends the Typst expression so that following text stays text.
  return pandoc.RawInline("typst", "#image(" .. typst_string(image_path(img.src))
    .. ", alt: " .. typst_string(alt) .. ");")
end

return {
  {
    Pandoc = function(doc)
      entwurf = doc.meta.entwurf == true
      -- Paragraph marks first: the contribution filter below moves their content.
      doc = doc:walk({ Div = function(div) if div.classes:includes("absatz") then return absatz(div) end end })
      return doc:walk({ Div = Div, Image = Image, HorizontalRule = HorizontalRule })
    end,
  },
}
