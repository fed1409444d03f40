--[[
Render the canonical draft's fenced divs for the website.

Each contribution arrives as ``::::: {.beitrag .KIND contribution=… members=… member-names=…
authors=… status=… number=…}``. This filter turns it into a box that names its members
(Praxisbeispiele and recommendations are styled boxes), keeps the block's anchor as the
heading id (the permalink), adds a "Permanenter Link" to every heading, rewrites image paths
to the site's media folder and drops editorial notes (``.redaktionsnotiz``), which never
appear on the website.

Numbered paragraphs (``::: {.absatz #ID label=B3.2}``, only in drafts) become a ``div`` with
that id, a permalink showing the paragraph number (visible on hover and focus) and, while a
consultation round is open and the project names its repository, a „Kommentar schreiben“ link
to the GitLab or GitHub web editor with a comment file for that paragraph filled in.

Metadata (set with ``-M`` by the site renderer):
  site-root       relative path from the page to the site root, e.g. "../../"
  paper-id        the paper's id (charts live under diagramme/PAPER/)
  intern          "true" for the internal build: show each contribution's status
  kommentar-neu   URL of the web editor's new-file page in the open round's comment folder
  kommentar-forge "gitlab" or "github" (their new-file pages take different parameters)
  status-<id>     German label of a contribution status
  kind-<id>       German label of a contribution kind
]]

local site_root = ""
local paper_id = ""
local intern = false
local labels = {}
local comment_url = ""
local forge = "gitlab"

local function read_meta(meta)
  for key, value in pairs(meta) do
    local text = pandoc.utils.stringify(value)
    if key == "site-root" then
      site_root = text
    elseif key == "paper-id" then
      paper_id = text
    elseif key == "intern" then
      intern = (text == "true")
    elseif key == "kommentar-neu" then
      comment_url = text
    elseif key == "kommentar-forge" then
      forge = text
    else
      labels[key] = text
    end
  end
  return nil
end

local function split(text, separator)
  local parts = {}
  for part in string.gmatch(text or "", "([^" .. separator .. "]+)") do
    local trimmed = part:gsub("^%s+", ""):gsub("%s+$", "")
    if trimmed ~= "" then
      table.insert(parts, trimmed)
    end
  end
  return parts
end

local function escape(text)
  return (text:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"):gsub('"', "&quot;"))
end

local function url_encode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end

local function span(class, text)
  return pandoc.Span({ pandoc.Str(text) }, pandoc.Attr("", { class }))
end

-- The line under a contribution's heading: kind, members, authors (and, internally, status).
local function byline(attributes)
  local parts = {}
  local kind = attributes["kind"] or "text"
  table.insert(parts, span("beitrag__art", labels["kind-" .. kind] or kind))
  local members = split(attributes["member-names"], ";")
  if #members > 0 then
    table.insert(parts, span("beitrag__mitglied", table.concat(members, ", ")))
  end
  local authors = split(attributes["authors"], ";")
  if #authors > 0 then
    table.insert(parts, span("beitrag__autoren", table.concat(authors, ", ")))
  end
  if intern and attributes["status"] then
    local status = attributes["status"]
    table.insert(parts, pandoc.Span(
      { pandoc.Str("Status: " .. (labels["status-" .. status] or status)) },
      pandoc.Attr("", { "beitrag__status", "beitrag__status--" .. status })))
  end
  local inlines = pandoc.List()
  for index, part in ipairs(parts) do
    if index > 1 then
      inlines:insert(pandoc.Span({ pandoc.Str(" · ") }, pandoc.Attr("", { "beitrag__trenner" })))
    end
    inlines:insert(part)
  end
  return pandoc.Div({ pandoc.Plain(inlines) }, pandoc.Attr("", { "beitrag__meta" }))
end

-- Footnotes stay with their contribution: numbered within it and listed at its end, with ids
-- made from its anchor. A note is then read next to the text it belongs to, and a
-- contribution converts the same wherever it stands (the site caches its HTML).
local function take_notes(blocks, prefix)
  local notes = pandoc.List()
  local content = pandoc.Blocks(blocks):walk({
    Note = function(note)
      notes:insert(note.content)
      local id = prefix .. "-" .. #notes
      return pandoc.RawInline("html", '<a href="#fn-' .. id .. '" class="footnote-ref" id="fnref-' .. id
        .. '" role="doc-noteref"><sup>' .. #notes .. "</sup></a>")
    end,
  })
  return content, notes
end

local function notes_list(notes, prefix)
  local blocks = pandoc.List()
  if #notes == 0 then
    return blocks
  end
  blocks:insert(pandoc.RawBlock("html", '<section class="footnotes" role="doc-endnotes" aria-label="Anmerkungen">'
    .. '<p class="footnotes__titel">Anmerkungen</p><ol>'))
  for number, content in ipairs(notes) do
    local id = prefix .. "-" .. number
    local back = pandoc.RawInline("html", '<a href="#fnref-' .. id
      .. '" class="footnote-back" role="doc-backlink" aria-label="Zurück zum Text">↩︎</a>')
    local body = pandoc.Blocks(content)
    local last = body[#body]
    if last and (last.t == "Para" or last.t == "Plain") then
      last.content:insert(back)
    else
      body:insert(pandoc.Plain({ back }))
    end
    blocks:insert(pandoc.RawBlock("html", '<li id="fn-' .. id .. '">'))
    blocks:extend(body)
    blocks:insert(pandoc.RawBlock("html", "</li>"))
  end
  blocks:insert(pandoc.RawBlock("html", "</ol></section>"))
  return blocks
end

local function render_beitrag(div)
  local attributes = div.attributes
  local kind = attributes["kind"] or "text"
  local blocks = pandoc.List()
  local placed = false
  local anchor = attributes["contribution"] or "beitrag"
  for _, block in ipairs(div.content) do
    if block.t == "Header" and block.identifier ~= "" then
      anchor = block.identifier
      break
    end
  end
  local content, notes = take_notes(div.content, anchor)
  for _, block in ipairs(content) do
    blocks:insert(block)
    if not placed and block.t == "Header" then
      blocks:insert(byline(attributes))
      placed = true
    end
  end
  if not placed then
    blocks:insert(1, byline(attributes))
  end
  blocks:extend(notes_list(notes, anchor))
  local classes = { "beitrag", "beitrag--" .. kind }
  local data = ' data-kind="' .. escape(kind) .. '" data-members="' .. escape(attributes["members"] or "") .. '"'
  if intern and attributes["status"] then
    table.insert(classes, "beitrag--status-" .. attributes["status"])
    data = data .. ' data-status="' .. escape(attributes["status"]) .. '"'
  end
  -- Raw tags rather than a pandoc Div: pandoc would move the heading's id onto the wrapper.
  local open = '<section class="' .. table.concat(classes, " ") .. '"' .. data .. '>'
  blocks:insert(1, pandoc.RawBlock("html", open))
  blocks:insert(pandoc.RawBlock("html", "</section>"))
  return blocks
end

-- A chart: the SVG the site renderer drew (diagramme/PAPER/ID.svg) as an image with the
-- text alternative from the div's `alt` attribute; the div's content is the caption. The
-- data table follows directly in the draft.
local function render_diagramm(div)
  local src = site_root .. "diagramme/" .. paper_id .. "/" .. (div.attributes["chart"] or "") .. ".svg"
  local image = pandoc.Image(pandoc.Inlines(div.attributes["alt"] or ""), src, "",
    pandoc.Attr("", { "diagramm__bild" }))
  local caption = {}
  for _, block in ipairs(div.content) do
    if block.t == "Para" then caption[#caption + 1] = pandoc.Plain(block.content) end
  end
  return pandoc.Figure(pandoc.Plain({ image }), caption, pandoc.Attr("", { "diagramm" }))
end

-- The file a member commits for a comment on one paragraph (see docs/mitmachen.md).
local function comment_template(id, label)
  return "---\n"
    .. "# Kommentar zu Absatz " .. label .. ". Ersetzen Sie im Dateinamen MITGLIED durch den Kurznamen\n"
    .. "# Ihres Mitglieds (z. B. stuttgart), wählen Sie die Art und schreiben Sie die Begründung unten.\n"
    .. "stelle: " .. id .. "\n"
    .. "art: anmerkung  # aenderung, ergaenzung, streichung, anmerkung oder grundsaetzlich\n"
    .. "# Bei aenderung: der neue Wortlaut des ganzen Absatzes; bei ergaenzung: der neue Absatz.\n"
    .. "# vorschlag: >-\n"
    .. "#   …\n"
    .. "---\n\n"
    .. "Begründung: …\n"
end

local function comment_link(id, label)
  local name = "MITGLIED--absatz-" .. (label:lower():gsub("[^%w]", "-")) .. ".md"
  local query
  if forge == "github" then
    query = "?filename=" .. url_encode(name) .. "&value=" .. url_encode(comment_template(id, label))
  else
    query = "?file_name=" .. url_encode(name) .. "&content=" .. url_encode(comment_template(id, label))
      .. "&commit_message=" .. url_encode("Kommentar zu Absatz " .. label)
  end
  return '<a class="absatz__kommentar" href="' .. escape(comment_url .. query) .. '">Kommentar schreiben'
    .. '<span class="rk-visually-hidden"> zu Absatz ' .. escape(label) .. '</span></a>'
end

-- A numbered paragraph: its id as anchor, its number as permalink (and the comment link).
local function render_absatz(div)
  if not intern then
    return div.content
  end
  local id, label = div.identifier, div.attributes["label"] or ""
  local open = '<div class="absatz" id="' .. escape(id) .. '">'
    .. '<a class="absatz__nummer" href="#' .. escape(id) .. '" title="Link zu Absatz ' .. escape(label) .. '">'
    .. escape(label) .. '</a>'
  local close = "</div>"
  if comment_url ~= "" then
    close = '<p class="absatz__aktionen">' .. comment_link(id, label) .. "</p></div>"
  end
  local blocks = pandoc.List({ pandoc.RawBlock("html", open) })
  blocks:extend(div.content)
  blocks:insert(pandoc.RawBlock("html", close))
  return blocks
end

local function Div(div)
  -- Separates the pieces of a body converted together (see render/pandoc.py).
  if div.classes:includes("redaktion-teil") then
    return pandoc.RawBlock("html", "<!-- redaktion-teil -->")
  end
  if div.classes:includes("redaktionsnotiz") then
    return {}
  end
  if div.classes:includes("absatz") then
    return render_absatz(div)
  end
  if div.classes:includes("diagramm") then
    return render_diagramm(div)
  end
  if div.classes:includes("beitrag") then
    return render_beitrag(div)
  end
  return nil
end

local function Header(header)
  if header.identifier ~= "" then
    local title = pandoc.utils.stringify(header.content)
    header.content:insert(pandoc.RawInline("html",
      '<a class="headerlink" href="#' .. header.identifier .. '" title="Permanenter Link zu „'
      .. escape(title) .. '“">¶</a>'))
  end
  return header
end

local function Image(image)
  local paper, rest = image.src:match("^contributions/([^/]+)/media/(.+)$")
  if paper then
    image.src = site_root .. "medien/" .. paper .. "/" .. rest
  end
  return image
end

return {
  { Meta = read_meta },
  { Div = Div, Header = Header, Image = Image },
}
