//! A small drawing surface over `printpdf`: A4 pages, text in the embedded DejaVu Sans Condensed
//! (measured from the font's own glyph widths, so columns align), lines, boxes, and a table
//! that carries over to new pages with its header repeated. Coordinates are millimetres from the
//! top left, as a layout is thought of; the page numbers are written when the pages are known.

use chrono::{Datelike, NaiveDate};
use printpdf::{
    Color, FontId, Greyscale, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem,
};

const REGULAR: &[u8] = include_bytes!("../../fonts/DejaVuSansCondensed-lk.ttf");
const BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSansCondensed-Bold-lk.ttf");

pub const PAGE_W: f32 = 210.0;
pub const PAGE_H: f32 = 297.0;
pub const MARGIN: f32 = 12.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
    Center,
}

#[derive(Debug, thiserror::Error)]
#[error("шрифт для PDF не читается")]
pub struct FontError;

pub struct Canvas {
    regular: ParsedFont,
    bold: ParsedFont,
    title: String,
    pages: Vec<Vec<Op>>,
    /// Where the next line goes on the current page, mm from the top.
    pub y: f32,
}

fn pt(mm: f32) -> Pt {
    Mm(mm).into_pt()
}

fn point(x: f32, y_from_top: f32) -> Point {
    Point { x: pt(x), y: pt(PAGE_H - y_from_top) }
}

fn font_id(weight: Weight) -> FontId {
    FontId(match weight {
        Weight::Regular => "F1".into(),
        Weight::Bold => "F2".into(),
    })
}

impl Canvas {
    pub fn new(title: &str) -> Result<Canvas, FontError> {
        let parse = |bytes| ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).ok_or(FontError);
        Ok(Canvas {
            regular: parse(REGULAR)?,
            bold: parse(BOLD)?,
            title: title.to_owned(),
            pages: vec![Vec::new()],
            y: MARGIN,
        })
    }

    fn font(&self, weight: Weight) -> &ParsedFont {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    /// Starts a new page unless `height` mm still fit above the bottom margin (and the footer).
    pub fn ensure(&mut self, height: f32) -> bool {
        if self.y + height > PAGE_H - MARGIN - 8.0 {
            self.new_page();
            true
        } else {
            false
        }
    }

    /// Width of `text` in mm at `size` pt.
    pub fn measure(&self, text: &str, size: f32, weight: Weight) -> f32 {
        let font = self.font(weight);
        let units: u32 = text
            .chars()
            .map(|c| {
                font.lookup_glyph_index(c as u32)
                    .and_then(|g| font.get_glyph_width(g))
                    .map_or(500, u32::from)
            })
            .sum();
        let points = units as f32 * size / f32::from(font.pdf_font_metrics.units_per_em.max(1));
        points * 25.4 / 72.0
    }

    /// Writes one line of text with its baseline at `y` mm from the top.
    pub fn text(&mut self, x: f32, y: f32, size: f32, weight: Weight, align: Align, text: &str) {
        let ops = self.text_ops(x, y, size, weight, align, text);
        self.ops().extend(ops);
    }

    fn text_ops(
        &self,
        x: f32,
        y: f32,
        size: f32,
        weight: Weight,
        align: Align,
        text: &str,
    ) -> Vec<Op> {
        let width = self.measure(text, size, weight);
        let x = match align {
            Align::Left => x,
            Align::Right => x - width,
            Align::Center => x - width / 2.0,
        };
        vec![
            Op::StartTextSection,
            Op::SetFont { font: PdfFontHandle::External(font_id(weight)), size: Pt(size) },
            Op::SetTextCursor { pos: point(x, y) },
            Op::ShowText { items: vec![TextItem::Text(text.to_owned())] },
            Op::EndTextSection,
        ]
    }

    /// Breaks `text` into lines no wider than `width` mm: at spaces, and inside a word (a long
    /// number, an e-mail address) that is wider than the line by itself, so nothing ever runs
    /// into the next column. Only a single glyph wider than `width` stands alone on its line.
    pub fn wrap(&self, text: &str, width: f32, size: f32, weight: Weight) -> Vec<String> {
        let fits = |s: &str| self.measure(s, size, weight) <= width;
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split(' ') {
            let candidate =
                if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
            if fits(&candidate) {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for c in word.chars() {
                let longer = format!("{line}{c}");
                if fits(&longer) || line.is_empty() {
                    line = longer;
                } else {
                    lines.push(std::mem::replace(&mut line, c.to_string()));
                }
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// Writes wrapped text from the cursor down, moving the cursor; answers the lines written.
    pub fn paragraph(
        &mut self,
        x: f32,
        width: f32,
        size: f32,
        weight: Weight,
        text: &str,
    ) -> usize {
        let lines = self.wrap(text, width, size, weight);
        let leading = size * 0.42;
        for line in &lines {
            self.ensure(leading);
            self.y += leading;
            let y = self.y;
            self.text(x, y, size, weight, Align::Left, line);
        }
        lines.len()
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, thickness: f32) {
        let points = vec![
            LinePoint { p: point(x1, y1), bezier: false },
            LinePoint { p: point(x2, y2), bezier: false },
        ];
        self.ops().extend([
            Op::SetOutlineColor {
                col: Color::Greyscale(Greyscale { percent: 0.0, icc_profile: None }),
            },
            Op::SetOutlineThickness { pt: Pt(thickness) },
            Op::DrawLine { line: Line { points, is_closed: false } },
        ]);
    }

    /// A rectangle by its top-left corner; filled with grey `shade` (0 black … 1 white) or outlined.
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, shade: Option<f32>) {
        let lower_left = point(x, y + h);
        let rectangle = Rect {
            x: lower_left.x,
            y: lower_left.y,
            width: pt(w),
            height: pt(h),
            mode: Some(if shade.is_some() { PaintMode::Fill } else { PaintMode::Stroke }),
            winding_order: None,
        };
        let grey = |percent| Color::Greyscale(Greyscale { percent, icc_profile: None });
        let mut ops = vec![Op::SaveGraphicsState];
        match shade {
            Some(s) => ops.push(Op::SetFillColor { col: grey(s) }),
            None => ops.extend([
                Op::SetOutlineColor { col: grey(0.0) },
                Op::SetOutlineThickness { pt: Pt(0.6) },
            ]),
        }
        ops.push(Op::DrawRectangle { rectangle });
        ops.push(Op::RestoreGraphicsState);
        self.ops().extend(ops);
    }

    /// Writes "Страница N из M" and the document's name at the foot of every page, then the PDF.
    /// The same input gives the same bytes: fixed font names, the document's own date (or none,
    /// never the time of printing), and the file identifier derived from the content.
    pub fn finish(mut self, footer: &str, dated: Option<NaiveDate>) -> Vec<u8> {
        let count = self.pages.len();
        let y = PAGE_H - MARGIN + 2.0;
        for index in 0..count {
            let mut ops = self.text_ops(MARGIN, y, 7.0, Weight::Regular, Align::Left, footer);
            let number = format!("Страница {} из {count}", index + 1);
            ops.extend(self.text_ops(
                PAGE_W - MARGIN,
                y,
                7.0,
                Weight::Regular,
                Align::Right,
                &number,
            ));
            self.pages[index].extend(ops);
        }
        let mut doc = PdfDocument::new(&self.title);
        doc.metadata.info.producer = "ЛК АО «ЭК «Восток»".into();
        doc.metadata.info.creator = "lk-core".into();
        if let Some(day) = dated {
            let at = printpdf::DateTime::new_in_offset(
                printpdf::Date {
                    year: day.year(),
                    month: u8::try_from(day.month()).unwrap_or(1),
                    day: u8::try_from(day.day()).unwrap_or(1),
                },
                printpdf::Time { hour: 0, minute: 0, second: 0, millisecond: 0 },
                printpdf::Offset { hours: 0, minutes: 0, seconds: 0, milliseconds: 0 },
            );
            let info = &mut doc.metadata.info;
            (info.creation_date, info.modification_date, info.metadata_date) = (at, at, at);
        }
        for (weight, font) in [(Weight::Regular, &self.regular), (Weight::Bold, &self.bold)] {
            doc.resources.fonts.map.insert(font_id(weight), printpdf::PdfFont::new(font.clone()));
        }
        let pages: Vec<PdfPage> = std::mem::take(&mut self.pages)
            .into_iter()
            .map(|ops| PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops))
            .collect();
        let mut bytes = doc.with_pages(pages).save(&PdfSaveOptions::default(), &mut Vec::new());
        // The writer always names a PDF/X version, empty: the file claims no such conformance.
        blank(&mut bytes, b"/GTS_PDFXVersion()");
        if dated.is_none() {
            blank(&mut bytes, b"/CreationDate(D:19700101000000+00'00')");
            blank(&mut bytes, b"/ModDate(D:19700101000000+00'00')");
        }
        fix_identifier(bytes)
    }
}

/// Replaces the trailer's random `/ID` strings with ones derived from the content (same
/// length, so every offset stays valid).
fn fix_identifier(mut bytes: Vec<u8>) -> Vec<u8> {
    let tail_start = bytes.len().saturating_sub(2048);
    let Some(at) = find(&bytes[tail_start..], b"/ID").map(|i| i + tail_start) else { return bytes };
    let digest = fnv128(&bytes[..at]);
    let mut literal = 0;
    let mut i = at;
    while i < bytes.len() && literal < 2 {
        if bytes[i] == b'(' {
            let end = match bytes[i..].iter().position(|&b| b == b')') {
                Some(e) => i + e,
                None => break,
            };
            for (k, b) in bytes[i + 1..end].iter_mut().enumerate() {
                *b = b'A' + ((digest >> ((k + literal * 7) % 120)) & 0xF) as u8;
            }
            literal += 1;
            i = end;
        }
        i += 1;
    }
    bytes
}

/// Overwrites an entry of the document's info dictionary with spaces (same length, so every
/// offset in the cross-reference table stays valid).
fn blank(bytes: &mut [u8], entry: &[u8]) {
    if let Some(at) = find(bytes, entry) {
        bytes[at..at + entry.len()].fill(b' ');
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn fnv128(bytes: &[u8]) -> u128 {
    bytes.iter().fold(0x6c62272e07bb014262b821756295c58d_u128, |h, &b| {
        (h ^ u128::from(b)).wrapping_mul(0x0000000001000000000000000000013B)
    })
}

/// A column of a table.
pub struct Column {
    pub title: &'static str,
    pub width: f32,
    pub align: Align,
}

/// Draws a table from the cursor down with a grey header, breaking to new pages with the
/// header repeated; `bold_last` sets the last row (totals) in bold.
pub fn table(canvas: &mut Canvas, columns: &[Column], rows: &[Vec<String>], bold_last: bool) {
    const SIZE: f32 = 7.5;
    const ROW: f32 = 5.0;
    let header = |canvas: &mut Canvas| {
        let lines: Vec<Vec<String>> = columns
            .iter()
            .map(|c| canvas.wrap(c.title, c.width - 2.0, SIZE, Weight::Bold))
            .collect();
        let height = lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * 3.3 + 2.5;
        let top = canvas.y;
        let total: f32 = columns.iter().map(|c| c.width).sum();
        canvas.rect(MARGIN, top, total, height, Some(0.88));
        let mut x = MARGIN;
        for (column, lines) in columns.iter().zip(&lines) {
            for (i, line) in lines.iter().enumerate() {
                let y = top + 3.6 + i as f32 * 3.3;
                canvas.text(x + column.width / 2.0, y, SIZE, Weight::Bold, Align::Center, line);
            }
            x += column.width;
        }
        canvas.line(MARGIN, top + height, MARGIN + total, top + height, 0.6);
        canvas.y = top + height;
    };
    canvas.ensure(20.0);
    header(canvas);
    for (r, row) in rows.iter().enumerate() {
        let weight = if bold_last && r + 1 == rows.len() { Weight::Bold } else { Weight::Regular };
        let cells: Vec<Vec<String>> = columns
            .iter()
            .zip(row)
            .map(|(c, text)| canvas.wrap(text, c.width - 2.0, SIZE, weight))
            .collect();
        let height = cells.iter().map(Vec::len).max().unwrap_or(1) as f32 * 3.3 + 1.7;
        if canvas.ensure(height.max(ROW)) {
            header(canvas);
        }
        let top = canvas.y;
        let mut x = MARGIN;
        for (column, lines) in columns.iter().zip(&cells) {
            for (i, line) in lines.iter().enumerate() {
                let y = top + 3.6 + i as f32 * 3.3;
                let tx = match column.align {
                    Align::Left => x + 1.0,
                    Align::Right => x + column.width - 1.0,
                    Align::Center => x + column.width / 2.0,
                };
                canvas.text(tx, y, SIZE, weight, column.align, line);
            }
            x += column.width;
        }
        canvas.y = top + height;
        canvas.line(MARGIN, canvas.y, x, canvas.y, 0.2);
    }
    canvas.y += 2.0;
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn wrapped_lines_never_run_past_their_column(
            text in "[0-9а-яА-Я@.,a-z ]{0,80}", width in 3.0f32..40.0,
        ) {
            let canvas = Canvas::new("test").unwrap();
            let lines = canvas.wrap(&text, width, 7.5, Weight::Regular);
            for line in &lines {
                let fits = canvas.measure(line, 7.5, Weight::Regular) <= width;
                prop_assert!(fits || line.chars().count() == 1, "{line:?} wider than {width}");
            }
            let kept: String = lines.concat().chars().filter(|c| *c != ' ').collect();
            let given: String = text.chars().filter(|c| *c != ' ').collect();
            prop_assert_eq!(kept, given, "nothing lost");
        }
    }

    #[test]
    fn a_long_number_breaks_inside_its_narrow_column() {
        let canvas = Canvas::new("test").unwrap();
        let lines = canvas.wrap("5245,0666666666666666666666667", 16.0, 7.5, Weight::Regular);
        assert!(lines.len() > 1, "{lines:?}");
        assert_eq!(lines.concat(), "5245,0666666666666666666666667");
    }
}
