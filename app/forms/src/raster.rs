//! Page images for the kiosk's print preview: the PDF is piped to `pdftoppm` and the PPM
//! images it writes to standard output are read back (no temporary files).
//! STUB: being written.

use crate::error::FormError;

/// One page as 8-bit RGB pixels.
#[derive(Clone, PartialEq, Eq)]
pub struct PageImage {
    pub width: u32,
    pub height: u32,
    /// `width * height * 3` bytes, row by row.
    pub rgb: Vec<u8>,
}

/// Renders every page of `pdf` at `dpi` dots per inch.
pub fn render(pdf: &[u8], dpi: u32) -> Result<Vec<PageImage>, FormError> {
    let _ = (pdf, dpi);
    Ok(Vec::new())
}
