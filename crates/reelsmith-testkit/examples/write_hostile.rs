//! Writes the hostile documents of `reelsmith_testkit::hostile` into a folder, for trying them by hand:
//! `cargo run -p reelsmith-testkit --example write_hostile -- DIR`.

fn main() -> std::io::Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "hostile".into());
    std::fs::create_dir_all(&dir)?;
    for case in reelsmith_testkit::hostile::hostile_cases() {
        let path = std::path::Path::new(&dir).join(case.name);
        std::fs::write(&path, &case.bytes)?;
        println!(
            "{} ({} bytes): expect {:?}",
            path.display(),
            case.bytes.len(),
            case.expect
        );
    }
    Ok(())
}
