//! Secrets from standard input, one per line, in the order a command asks for them. Every line
//! read lives in a buffer that zeroizes itself.

use std::io::{BufRead, IsTerminal};

use anyhow::{Context, Result, bail};
use zeroize::Zeroizing;

pub struct Input {
    from_stdin: bool,
}

impl Input {
    pub fn new(password_stdin: bool) -> Input {
        Input {
            from_stdin: password_stdin,
        }
    }

    /// The next secret: from standard input with `--password-stdin`, else asked for on the
    /// terminal without echo.
    pub fn secret(&mut self, prompt: &str) -> Result<Zeroizing<String>> {
        if self.from_stdin {
            return self.line(prompt);
        }
        if !std::io::stdin().is_terminal() {
            bail!("{prompt}は --password-stdin を付けて標準入力から渡してください");
        }
        let typed = rpassword::prompt_password(format!("{prompt}: "))
            .with_context(|| format!("{prompt}を読み取れません"))?;
        Ok(Zeroizing::new(typed))
    }

    /// The next line of standard input, without its line ending.
    pub fn line(&mut self, what: &str) -> Result<Zeroizing<String>> {
        let mut buf = Zeroizing::new(String::new());
        let n = std::io::stdin()
            .lock()
            .read_line(&mut buf)
            .with_context(|| format!("{what}を読み取れません"))?;
        if n == 0 {
            bail!("標準入力に{what}がありません");
        }
        while buf.ends_with(['\n', '\r']) {
            buf.pop();
        }
        Ok(buf)
    }

    /// A number given on the command line, or read from standard input when it is `-`
    /// (keeps it out of the process list).
    pub fn number_arg(&mut self, arg: &str) -> Result<Zeroizing<String>> {
        if arg == "-" {
            self.line("番号")
        } else {
            Ok(Zeroizing::new(arg.to_owned()))
        }
    }
}
