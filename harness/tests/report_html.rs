//! `cosim report`'s page as a person sees it: headless Chromium (Debian's `chromium`,
//! which scripts/setup installs) renders report.html from real runs; the screenshot
//! must show a page (not one flat colour), and the DOM Chromium built must hold the
//! tables, the charts with a legend and a value on every bar, and the 1 GiB
//! configurations marked as not reachable on RISC-V Linux 6.12.

mod common;

use common::{cosim, stderr};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs Chromium headless on `page` with `args`; a missing Chromium fails the test
/// with what to do.
fn chromium(profile: &Path, page: &Path, args: &[String]) -> Output {
    let mut child = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--window-size=1280,2000")
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot run chromium ({e}): run scripts/setup, which installs Debian's chromium")
        });
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("chromium did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The distinct colours of a PNG and the share of its pixels that are not white.
fn colours(png_path: &Path) -> (usize, f64) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_path).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    assert!(channels >= 3, "{:?}", info.color_type);
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|p| &p[..3])
        .collect();
    let mut distinct: Vec<&[u8]> = pixels.clone();
    distinct.sort();
    distinct.dedup();
    let inked = pixels.iter().filter(|p| **p != [255, 255, 255]).count();
    (distinct.len(), inked as f64 / pixels.len() as f64)
}

#[test]
fn the_report_page_renders_with_tables_charts_and_the_1g_runs_marked() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let o = cosim(&[
        "report",
        "--out",
        out.to_str().unwrap(),
        "--pmem-size",
        "1G",
        "--modes",
        "huge,dax",
        "--aligns",
        "2M,1G",
        "--iterations",
        "64",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = out.join("report.html");

    let shot = dir.path().join("report.png");
    chromium(
        &dir.path().join("profile-shot"),
        &page,
        &[format!("--screenshot={}", shot.display())],
    );
    let (distinct, inked) = colours(&shot);
    // Text, table rules, and one colour per mode: far more than a blank page has.
    assert!(distinct > 50, "{distinct} colours: the page looks blank");
    assert!(
        inked > 0.05,
        "only {:.1} % of the page is not white",
        100.0 * inked
    );

    let dom = chromium(
        &dir.path().join("profile-dom"),
        &page,
        &["--dump-dom".to_string()],
    );
    let dom = String::from_utf8(dom.stdout).unwrap();
    // The tables: configurations, and one per alignment per phase.
    assert_eq!(dom.matches("<table>").count(), 3, "{dom}");
    assert!(dom.contains("<td>dax 2M</td><td>reachable</td><td class=\"num\">4.000</td>"));
    assert!(dom.contains("<tr class=\"unreachable\"><td>dax 1G</td><td>not reachable</td>"));
    assert!(dom.contains("vmemmap memory<br><span class=\"unit\">MiB per GiB of pmem</span>"));
    assert!(dom.contains("<td>random_lookup</td><td>huge 2M</td>"));
    // The charts: memory and cycles, then four per alignment, each with a legend
    // and every bar's value on hover.
    assert_eq!(dom.matches("<svg").count(), 2 + 2 * 4, "{dom}");
    assert_eq!(dom.matches("class=\"legend\"").count(), 10);
    let bars = dom.matches("class=\"bar\"").count();
    assert!(bars >= 2 * 2 * 2 + 2 * 4 * 2 * 6, "{bars} bars");
    assert_eq!(
        dom.matches("<title>").count(),
        bars + 1,
        "a title per bar and the page's"
    );
    assert!(dom.contains("<title>dax: seq_scan: "));
    assert!(dom.contains("<h2>1 GiB alignment, per phase <span class=\"note\">not reachable on RISC-V Linux 6.12</span></h2>"));
    assert!(!dom.contains("<pre>"), "no Markdown in a <pre>");

    // report.md keeps the same tables for terminals, report.json the label.
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("| dax 1G | not reachable |"), "{md}");
    let json = std::fs::read_to_string(out.join("report.json")).unwrap();
    assert_eq!(json.matches("\"riscv_linux_6_12\": false").count(), 2);
    assert_eq!(json.matches("\"riscv_linux_6_12\": true").count(), 2);
}
