//! Page images for the kiosk's print preview: the PDF is piped to `pdftoppm` and the PPM
//! images it writes to its standard output are read back (no temporary files).

use std::process::Command;

use crate::cups::pipe;
use crate::error::FormError;

/// The resolutions accepted (a preview needs ~50–100 dpi; 300 is print quality).
pub const DPI_RANGE: std::ops::RangeInclusive<u32> = 20..=300;

/// One page as 8-bit RGB pixels.
#[derive(Clone, PartialEq, Eq)]
pub struct PageImage {
    pub width: u32,
    pub height: u32,
    /// `width * height * 3` bytes, row by row.
    pub rgb: Vec<u8>,
}

impl std::fmt::Debug for PageImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PageImage({}x{})", self.width, self.height)
    }
}

/// Renders every page of `pdf` at `dpi` dots per inch.
pub fn render(pdf: &[u8], dpi: u32) -> Result<Vec<PageImage>, FormError> {
    run(pdf, dpi, None)
}

/// Renders page `page` (1-based) of `pdf` only: a preview of a long form shows one page at a
/// time without holding hundreds of page images.
pub fn render_page(pdf: &[u8], dpi: u32, page: usize) -> Result<PageImage, FormError> {
    let page = page.max(1);
    run(pdf, dpi, Some(page))?
        .into_iter()
        .next()
        .ok_or_else(|| FormError::Tool {
            program: "pdftoppm",
            message: format!("no page {page}"),
        })
}

fn run(pdf: &[u8], dpi: u32, page: Option<usize>) -> Result<Vec<PageImage>, FormError> {
    let dpi = dpi.clamp(*DPI_RANGE.start(), *DPI_RANGE.end());
    let mut cmd = Command::new("pdftoppm");
    cmd.arg("-r").arg(dpi.to_string());
    if let Some(page) = page {
        cmd.arg("-f")
            .arg(page.to_string())
            .arg("-l")
            .arg(page.to_string());
    }
    cmd.arg("-");
    let out = pipe(&mut cmd, "pdftoppm", pdf)?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(FormError::Tool {
            program: "pdftoppm",
            message: err.lines().next().unwrap_or("failed").trim().to_string(),
        });
    }
    parse_ppms(&out.stdout)
}

/// Splits a stream of binary PPM (P6, maxval 255) images.
fn parse_ppms(mut data: &[u8]) -> Result<Vec<PageImage>, FormError> {
    let bad = |what: &str| FormError::Tool {
        program: "pdftoppm",
        message: format!("unreadable image: {what}"),
    };
    let mut pages = Vec::new();
    while !data.is_empty() {
        let mut fields = [0u32; 3];
        let mut rest = data.strip_prefix(b"P6").ok_or_else(|| bad("not P6"))?;
        for field in &mut fields {
            let start = rest
                .iter()
                .position(|b| !b.is_ascii_whitespace())
                .ok_or_else(|| bad("header"))?;
            rest = &rest[start..];
            let end = rest
                .iter()
                .position(|b| !b.is_ascii_digit())
                .ok_or_else(|| bad("header"))?;
            let text = std::str::from_utf8(&rest[..end]).map_err(|_| bad("header"))?;
            *field = text.parse().map_err(|_| bad("header"))?;
            rest = &rest[end..];
        }
        let [width, height, maxval] = fields;
        if maxval != 255 {
            return Err(bad("depth"));
        }
        // The single whitespace byte after maxval.
        rest = rest.get(1..).ok_or_else(|| bad("short"))?;
        let len = width as usize * height as usize * 3;
        if rest.len() < len {
            return Err(bad("short"));
        }
        pages.push(PageImage {
            width,
            height,
            rgb: rest[..len].to_vec(),
        });
        data = &rest[len..];
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ppm_streams_split_into_pages() {
        let mut data = b"P6\n2 1\n255\n".to_vec();
        data.extend_from_slice(&[1, 2, 3, 4, 5, 6]);
        data.extend_from_slice(b"P6 1 1 255 ");
        data.extend_from_slice(&[7, 8, 9]);
        let pages = parse_ppms(&data).unwrap();
        assert_eq!(pages.len(), 2);
        assert_eq!(
            (pages[0].width, pages[0].height, &pages[0].rgb[..]),
            (2, 1, &[1, 2, 3, 4, 5, 6][..])
        );
        assert_eq!(pages[1].rgb, [7, 8, 9]);
        assert!(parse_ppms(b"P6 4 4 255 \x00").is_err());
        assert!(parse_ppms(b"P5 1 1 255 \x00").is_err());
    }
}
