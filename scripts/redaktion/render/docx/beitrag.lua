-- Shape the assembled draft for Word: styled contribution blocks, front and back matter.
--
-- * `.beitrag` divs: a label paragraph („Praxisbeispiel: Stadt …“) and the content in the
--   custom paragraph style of the kind (`Praxisbeispiel`, `Empfehlung`); in internal drafts
--   a provenance line (`Beitragsvermerk`) follows the heading.
-- * `.diagramm` divs (charts of data contributions): a figure with the PNG that the renderer
--   drew (`redaktion-diagramme/<id>.png` on the resource path), with its alt text.
-- * `.redaktionsnotiz` divs: style `Redaktionsnotiz` in internal drafts, dropped otherwise.
-- * `.absatz` divs (numbered paragraphs of drafts): a bookmark around the paragraph, named
--   after its number (`Absatz_B3_2` for B3.2: Word allows only letters, digits and `_` and
--   at most 40 characters), so a reviewed copy can be matched back to the paragraphs.
-- * Front matter (draft banner, sample-text hint, imprint) and the closing „Mitwirkende“
--   list are built from metadata that the renderer passes as plain strings (`-M`), so no
--   title or name is ever read as Markdown.

local meta = {}

local STATUS_LABELS = {
  ["eingereicht"] = "Eingereicht",
  ["in-pruefung"] = "In Prüfung",
  ["angenommen"] = "Angenommen",
  ["abgelehnt"] = "Abgelehnt",
  ["zurueckgezogen"] = "Zurückgezogen",
}
local KIND_LABELS = { praxisbeispiel = "Praxisbeispiel", stellungnahme = "Stellungnahme", daten = "Daten" }
local BOX_STYLES = { praxisbeispiel = "Praxisbeispiel", empfehlung = "Empfehlung" }

local function text(value)
  if value == nil then return "" end
  return pandoc.utils.stringify(value)
end

local function list(value)
  local items = {}
  if type(value) == "table" and value.t ~= "MetaString" and value.t ~= "MetaInlines" and #value > 0 then
    for _, item in ipairs(value) do items[#items + 1] = text(item) end
  elseif text(value) ~= "" then
    items[1] = text(value)
  end
  return items
end

local function styled(style, inlines_or_text)
  local content = type(inlines_or_text) == "string" and pandoc.Inlines(inlines_or_text) or inlines_or_text
  return pandoc.Div({ pandoc.Para(content) }, pandoc.Attr("", {}, { ["custom-style"] = style }))
end

local function names(value)
  local s = (value or ""):gsub("; ", ", ")
  return s
end

local function beitrag(div)
  local attrs = div.attributes
  local kind = attrs["kind"] or "text"
  local members = names(attrs["member-names"])
  local out = pandoc.Blocks({})
  if kind == "praxisbeispiel" then
    out:insert(styled("Praxisbeispiel Kopf", "Praxisbeispiel: " .. members))
  elseif KIND_LABELS[kind] then
    out:insert(styled("Beitragsart", KIND_LABELS[kind] .. ": " .. members))
  end
  local content = pandoc.Blocks({})
  local marked = not meta.entwurf
  for _, block in ipairs(div.content) do
    content:insert(block)
    if not marked and block.t == "Header" then
      local parts = { STATUS_LABELS[attrs["status"]] or attrs["status"] or "", members }
      if (attrs["authors"] or "") ~= "" then parts[#parts + 1] = names(attrs["authors"]) end
      parts[#parts + 1] = attrs["source"] or ""
      content:insert(styled("Beitragsvermerk", table.concat(parts, " · ")))
      marked = true
    end
  end
  local style = BOX_STYLES[kind]
  if style then
    out:insert(pandoc.Div(content, pandoc.Attr("", {}, { ["custom-style"] = style })))
  else
    out:extend(content)
  end
  return out
end

local function redaktionsnotiz(div)
  if not meta.entwurf then return pandoc.Blocks({}) end
  local label = pandoc.Strong(pandoc.Inlines("Anmerkung der Redaktion: "))
  local blocks = pandoc.Blocks({})
  for i, block in ipairs(div.content) do
    if i == 1 and (block.t == "Para" or block.t == "Plain") then
      local inlines = pandoc.Inlines({ label })
      inlines:extend(block.content)
      blocks:insert(pandoc.Para(inlines))
    else
      blocks:insert(block)
    end
  end
  return pandoc.Div(blocks, pandoc.Attr("", {}, { ["custom-style"] = "Redaktionsnotiz" }))
end

--- A chart: the PNG the renderer drew as `redaktion-diagramme/<id>.png` (found through the
--- resource path), with its alt text, as a figure whose caption is the div's content.
local function diagramm(div)
  local src = "redaktion-diagramme/" .. (div.attributes["chart"] or "") .. ".png"
  local image = pandoc.Image(pandoc.Inlines(div.attributes["alt"] or ""), src, "",
    pandoc.Attr("", {}, { width = "15.8cm" }))
  local caption = {}
  for _, block in ipairs(div.content) do
    if block.t == "Para" then caption[#caption + 1] = pandoc.Plain(block.content) end
  end
  return pandoc.Figure(pandoc.Plain({ image }), caption)
end

--- A numbered paragraph: pandoc writes a div's identifier as a bookmark around its content.
local function absatz(div)
  if not meta.entwurf then return div.content end
  local name = "Absatz_" .. ((div.attributes["label"] or ""):gsub("[^%w]", "_"))
  return pandoc.Div(div.content, pandoc.Attr(name, {}, {}))
end

local function Div(div)
  if div.classes:includes("absatz") then return absatz(div) end
  if div.classes:includes("beitrag") then return beitrag(div) end
  if div.classes:includes("diagramm") then return diagramm(div) end
  if div.classes:includes("redaktionsnotiz") then return redaktionsnotiz(div) end
  return nil
end

local function impressum_line(label, value)
  if value == "" then return nil end
  return styled("Impressum", pandoc.Inlines({ pandoc.Strong(pandoc.Inlines(label .. ": ")),
    pandoc.Str(value) }))
end

local function front_matter()
  local blocks = pandoc.Blocks({})
  if meta.entwurf then
    blocks:insert(styled("Entwurfshinweis", "ENTWURF – " .. meta.versionszeile
      .. " – nicht zur Veröffentlichung bestimmt"))
  end
  if meta.beispieltexte then
    blocks:insert(styled("Hinweis", "Hinweis: Die Beiträge in dieser Ausgabe sind Beispieltexte. "
      .. "Sie zeigen, wie das Redaktionswerkzeug Beiträge der Mitglieder zu einem gemeinsamen Papier "
      .. "zusammenführt, und geben nicht die beschlossene Position einzelner Mitglieder wieder. "
      .. "Namen von Personen sind erfunden."))
  end
  for _, pair in ipairs({
    { "Herausgeber", meta.zirkel }, { "Koordination", meta.stelle }, { "Redaktion", meta.redaktion },
    { "Ausgabe", meta.versionszeile }, { "Verabschiedung", meta.verabschiedung },
    { "Lizenz", meta.lizenz }, { "Zitiervorschlag", meta.zitiervorschlag },
  }) do
    local line = impressum_line(pair[1], pair[2])
    if line then blocks:insert(line) end
  end
  return blocks
end

local function bullet_list(items)
  local entries = {}
  for _, item in ipairs(items) do entries[#entries + 1] = { pandoc.Plain(pandoc.Inlines(item)) } end
  return pandoc.BulletList(entries)
end

local function back_matter()
  local blocks = pandoc.Blocks({
    pandoc.Header(1, pandoc.Inlines("Mitwirkende"), pandoc.Attr("mitwirkende", { "unnumbered" })),
    pandoc.Para(pandoc.Inlines("An diesem Papier haben die folgenden Mitglieder des Qualitätszirkels "
      .. "mit eigenen Beiträgen mitgewirkt:")),
    bullet_list(meta.mitglieder),
  })
  if #meta.autorinnen > 0 then
    blocks:insert(pandoc.Header(2, pandoc.Inlines("Autorinnen und Autoren der Beiträge"),
      pandoc.Attr("autorinnen", { "unnumbered" })))
    blocks:insert(bullet_list(meta.autorinnen))
  end
  return blocks
end

--- The DOCX writer reads document properties only from inline metadata, not from the
--- plain strings that `--metadata` gives; convert them.
local function as_inlines_list(items)
  local out = pandoc.MetaList({})
  for _, item in ipairs(items) do out:insert(pandoc.MetaInlines(pandoc.Inlines(item))) end
  return out
end

local function Pandoc(doc)
  local m = doc.meta
  m.author = as_inlines_list(list(m.author))
  m.keywords = as_inlines_list(list(m.keywords))
  meta = {
    entwurf = m.entwurf == true,
    beispieltexte = m.beispieltexte == true,
    zirkel = text(m.zirkel),
    stelle = text(m.stelle),
    redaktion = text(m.redaktion),
    versionszeile = text(m.versionszeile),
    lizenz = text(m.lizenz),
    zitiervorschlag = text(m.zitiervorschlag),
    verabschiedung = text(m.verabschiedung),
    mitglieder = list(m.mitglieder),
    autorinnen = list(m.autorinnen),
  }
  doc = doc:walk({ Div = Div })
  local blocks = front_matter()
  blocks:extend(doc.blocks)
  blocks:extend(back_matter())
  doc.blocks = blocks
  return doc
end

return { { Pandoc = Pandoc } }
