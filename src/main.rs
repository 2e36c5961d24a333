fn main() -> std::process::ExitCode {
    raleur::cli::main()
}
