-- Minutes text (Protokoll) and public summaries of sessions, for the site (HTML) and the
-- session PDFs (Typst). Written by the Redaktion, but held to the same rule as members' text:
-- only plain constructs reach an output.
--
-- * headings become level 3 (the documents put the agenda items at level 2) without ids;
-- * attributes, divs and spans are dropped (their content stays), raw blocks and inlines too;
-- * links keep only http(s) and mailto targets, images become their description,
--   thematic breaks disappear, footnotes are put in parentheses where they are referred to
--   (pieces are converted together and split again, so nothing may move to the end);
-- * a `.sitzung-teil` div marks where one converted piece ends: it becomes a raw comment line
--   at which the renderer splits the output.

local MARK = {
  typst = "// sitzung-teil",
  html = "<!-- sitzung-teil -->",
  html5 = "<!-- sitzung-teil -->",
}

local function safe(url)
  return url:match("^https?://") or url:match("^mailto:")
end

return {
  {
    Div = function(div)
      if div.classes:includes("sitzung-teil") then
        return pandoc.RawBlock(FORMAT, MARK[FORMAT] or "")
      end
      return div.content
    end,
    Span = function(span) return span.content end,
    Header = function(header)
      return pandoc.Header(3, header.content, pandoc.Attr())
    end,
    HorizontalRule = function() return {} end,
    RawBlock = function() return {} end,
    RawInline = function() return {} end,
    Image = function(image) return image.caption end,
    Figure = function(figure) return figure.content end,
    Note = function(note)
      local inlines = pandoc.Inlines({ pandoc.Space(), pandoc.Str("(") })
      inlines:extend(pandoc.utils.blocks_to_inlines(note.content))
      inlines:insert(pandoc.Str(")"))
      return inlines
    end,
    Link = function(link)
      if not safe(link.target) then return link.content end
      return pandoc.Link(link.content, link.target, "", pandoc.Attr())
    end,
    Code = function(code) return pandoc.Code(code.text, pandoc.Attr()) end,
    CodeBlock = function(block) return pandoc.CodeBlock(block.text, pandoc.Attr()) end,
  },
}
