-- Column widths of the tables of essaimage's ODT and DOCX documents, from their content, as a
-- browser lays out an HTML table (CSS automatic layout): each column gets at least what its
-- longest word needs, so that no word is cut inside a column (« Investisse/ment »), and the
-- room left is shared in proportion to what each column would need to hold its longest line.
-- Without it pandoc gives every column the same width. Text is measured with the widths of
-- Arial's characters (Liberation Sans has the same), in points at the size of the tables' text;
-- the text width is the reference documents' (A4, 2 cm margins: 17 cm). Only counts: no
-- pattern is matched on the document's text.

local LINE = 482 -- points in the text width of the page (17 cm)
local SIZE = 10 -- points: the size of the tables' text (the reference documents')
local PADDING = 12 -- points of padding, margins and rules around the text of one cell
local BOLD = 1.12 -- a heading cell's text is wider (bold: 8 to 10 % in Arial, and a margin)
-- The style of the reference documents for the text of a table whose words would not hold at
-- SIZE (a budget over seven columns): its text at TIGHT_SIZE; and (DOCX) for the other tables.
local TIGHT = "TableauSerre"
local TABLE = "Tableau"
local TIGHT_SIZE = 9

-- Arial's advance widths in thousandths of an em (regular); other characters count as a digit.
local WIDTHS = {
  [" "] = 278, ["!"] = 278, ['"'] = 355, ["%"] = 889, ["&"] = 667, ["'"] = 191, ["("] = 333,
  [")"] = 333, ["*"] = 389, ["+"] = 584, [","] = 278, ["-"] = 333, ["."] = 278, ["/"] = 278,
  [":"] = 278, [";"] = 278, ["="] = 584, ["?"] = 556, ["@"] = 1015, ["["] = 278, ["]"] = 278,
  ["_"] = 556, ["|"] = 260, A = 667, B = 667, C = 722, D = 722, E = 667, F = 611, G = 778,
  H = 722, I = 278, J = 500, K = 667, L = 556, M = 833, N = 722, O = 778, P = 667, Q = 778,
  R = 722, S = 667, T = 611, U = 722, V = 667, W = 944, X = 667, Y = 667, Z = 611, a = 556,
  b = 556, c = 500, d = 556, e = 556, f = 278, g = 556, h = 556, i = 222, j = 222, k = 500,
  l = 222, m = 833, n = 556, o = 556, p = 556, q = 556, r = 333, s = 500, t = 278, u = 556,
  v = 500, w = 722, x = 500, y = 500, z = 500, ["’"] = 222, ["«"] = 556, ["»"] = 556,
  ["—"] = 1000, ["–"] = 556, ["…"] = 1000, ["×"] = 584, ["€"] = 556, ["°"] = 400,
  ["\u{a0}"] = 278, ["\u{202f}"] = 278, ["œ"] = 944, ["Œ"] = 1000, ["æ"] = 889,
}
-- Accented letters are as wide as their base letter.
local BASES = {
  a = "àâäá", c = "ç", e = "éèêë", i = "îïí", o = "ôöó", u = "ùûüú", y = "ÿ",
  A = "ÀÂÄÁ", C = "Ç", E = "ÉÈÊË", I = "ÎÏÍ", O = "ÔÖÓ", U = "ÙÛÜÚ",
}
for base, accented in pairs(BASES) do
  for _, code in utf8.codes(accented) do
    WIDTHS[utf8.char(code)] = WIDTHS[base]
  end
end

-- The width of a text in points, at the tables' size.
local function width(text)
  local total = 0
  local ok = pcall(function()
    for _, code in utf8.codes(text) do
      total = total + (WIDTHS[utf8.char(code)] or 556)
    end
  end)
  if not ok then
    total = #text * 556
  end
  return total * SIZE / 1000
end

-- The lines of a cell's text: one per block and per line break.
local function lines(cell)
  local found = {}
  for _, block in ipairs(cell.contents) do
    local marked = pandoc.walk_block(block, {
      LineBreak = function()
        return pandoc.Str("\n")
      end,
    })
    local text = pandoc.utils.stringify(marked)
    local start = 1
    while true do
      local stop = text:find("\n", start, true)
      table.insert(found, text:sub(start, (stop or 0) - 1))
      if not stop then
        break
      end
      start = stop + 1
    end
  end
  return found
end

-- What one cell needs: its longest word (the least width) and its longest line (the width that
-- holds it on one line), in points of text at SIZE. Words are split at ordinary spaces only: a
-- no-break space (« 16 120 € ») holds its figure together.
local function needs(cell, heading)
  local word, line = 0, 0
  for _, text in ipairs(lines(cell)) do
    line = math.max(line, width(text))
    local start = 1
    while start <= #text do
      local stop = text:find(" ", start, true) or (#text + 1)
      word = math.max(word, width(text:sub(start, stop - 1)))
      start = stop + 1
    end
  end
  local factor = heading and BOLD or 1
  return word * factor, line * factor
end

local function measure(rows, least, most, row_heads, all_heading)
  for _, row in ipairs(rows) do
    local column = 1
    for _, cell in ipairs(row.cells) do
      if cell.col_span == 1 and least[column] then
        local word, line = needs(cell, all_heading or column <= row_heads)
        least[column] = math.max(least[column], word)
        most[column] = math.max(most[column], line)
      end
      column = column + cell.col_span
    end
  end
end

-- The sums of the least and the most widths of the columns, cells' padding included, with the
-- text at `scale` times SIZE.
local function sums(least, most, scale)
  local sum_least, sum_most = 0, 0
  for column = 1, #least do
    sum_least = sum_least + least[column] * scale + PADDING
    sum_most = sum_most + math.max(most[column], least[column]) * scale + PADDING
  end
  return sum_least, sum_most
end

-- Every cell's text at the tables' size, or at TIGHT_SIZE when `tight`. In an ODT document,
-- pandoc's cell paragraph styles (Table Contents, Table Heading) are already at SIZE: a tight
-- table's text is put in the character style TIGHT. In a DOCX document, where LibreOffice lets
-- a table style's size win over a character style, the cells' paragraphs take the paragraph
-- style TABLE or TIGHT (pandoc keeps a Div's custom-style for its Para, not for a Plain).
local function styled(rows, tight)
  local function span(block)
    return pandoc.Span(block.content, { ["custom-style"] = TIGHT })
  end
  for _, row in ipairs(rows) do
    for _, cell in ipairs(row.cells) do
      if FORMAT == "docx" then
        local paragraphs = cell.contents:walk({
          Plain = function(block)
            return pandoc.Para(block.content)
          end,
        })
        local style = tight and TIGHT or TABLE
        cell.contents = pandoc.Blocks({ pandoc.Div(paragraphs, { ["custom-style"] = style }) })
      elseif tight then
        cell.contents = cell.contents:walk({
          Plain = function(block)
            return pandoc.Plain({ span(block) })
          end,
          Para = function(block)
            return pandoc.Para({ span(block) })
          end,
        })
      end
    end
  end
end

function Table(tbl)
  local count = #tbl.colspecs
  if count < 2 then
    return nil
  end
  local least, most = {}, {}
  for column = 1, count do
    least[column], most[column] = 0, 0
  end
  measure(tbl.head.rows, least, most, 0, true)
  for _, body in ipairs(tbl.bodies) do
    measure(body.head, least, most, 0, true)
    measure(body.body, least, most, body.row_head_columns, false)
  end
  measure(tbl.foot.rows, least, most, 0, true)
  local scale = 1
  local sum_least, sum_most = sums(least, most, scale)
  local tight = sum_least > LINE -- its words do not hold in the page's width at SIZE
  if tight then
    scale = TIGHT_SIZE / SIZE
    sum_least, sum_most = sums(least, most, scale)
  end
  styled(tbl.head.rows, tight)
  for _, body in ipairs(tbl.bodies) do
    styled(body.head, tight)
    styled(body.body, tight)
  end
  styled(tbl.foot.rows, tight)
  local widths, total = {}, 0
  for column = 1, count do
    local low = least[column] * scale + PADDING
    local high = math.max(most[column], least[column]) * scale + PADDING
    if sum_most <= LINE or sum_least >= LINE then
      -- everything holds on one line, or not even the words do: in proportion
      widths[column] = sum_most <= LINE and high or low
    else
      widths[column] = low + (high - low) * (LINE - sum_least) / (sum_most - sum_least)
    end
    total = total + widths[column]
  end
  for column, spec in ipairs(tbl.colspecs) do
    -- rounded to a thousandth: the same document gives the same widths everywhere
    tbl.colspecs[column] = { spec[1], math.floor(widths[column] / total * 1000 + 0.5) / 1000 }
  end
  return tbl
end
