//! The one font every form uses: IPAex Gothic, embedded in the binary so a form looks the same
//! on every machine (and in the appliance, which has no font configuration to speak of).
//! printpdf subsets it when a document is saved, so a page carries only the glyphs it uses.

use std::sync::OnceLock;

use printpdf::ParsedFont;

use crate::error::FormError;

/// IPAex Gothic 00401 (IPA Font License v1.0; `fonts/ipaexg-COPYRIGHT.txt`).
pub static FONT_BYTES: &[u8] = include_bytes!("../fonts/ipaexg.ttf");

/// The parsed font with what layout needs: advance widths.
pub struct Font {
    parsed: ParsedFont,
    units_per_em: f32,
}

static FONT: OnceLock<Result<Font, FormError>> = OnceLock::new();

/// The parsed font, parsed once per process.
pub fn font() -> Result<&'static Font, FormError> {
    FONT.get_or_init(|| {
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(FONT_BYTES, 0, &mut warnings).ok_or(FormError::Font)?;
        let units_per_em = f32::from(parsed.font_metrics.units_per_em.max(1));
        Ok(Font {
            parsed,
            units_per_em,
        })
    })
    .as_ref()
    .map_err(Clone::clone)
}

impl Font {
    pub(crate) fn parsed(&self) -> &ParsedFont {
        &self.parsed
    }

    /// Whether the font has a glyph for `c` (a character it lacks would print as a box).
    pub fn has_glyph(&self, c: char) -> bool {
        self.parsed
            .lookup_glyph_index(u32::from(c))
            .is_some_and(|g| g != 0)
    }

    /// The advance of `c` in ems. A character without a glyph counts as one em, the width of
    /// the box it prints as.
    fn advance_em(&self, c: char) -> f32 {
        match self.parsed.lookup_glyph_index(u32::from(c)) {
            Some(g) if g != 0 => {
                f32::from(self.parsed.get_horizontal_advance(g)) / self.units_per_em
            }
            _ => 1.0,
        }
    }

    /// The width of `text` set at `size_pt` points, in millimetres.
    pub fn width_mm(&self, text: &str, size_pt: f32) -> f32 {
        let ems: f32 = text.chars().map(|c| self.advance_em(c)).sum();
        ems * size_pt * MM_PER_PT
    }
}

/// 1 pt = 1/72 inch = 25.4/72 mm.
pub const MM_PER_PT: f32 = 25.4 / 72.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_is_one_em_and_latin_is_narrower() {
        let f = font().unwrap();
        let kanji = f.width_mm("山田", 10.0);
        assert!((kanji - 2.0 * 10.0 * MM_PER_PT).abs() < 0.01, "{kanji}");
        let latin = f.width_mm("ab", 10.0);
        assert!(latin > 0.5 && latin < kanji, "{latin}");
        assert!(f.has_glyph('髙'));
        assert!(!f.has_glyph('\u{E000}'));
    }
}
