# Sourced by scripts/sanitize.sh and scripts/fuzz.sh: the sanitizer runtime options. Every report
# fails (halt_on_error), leaks are errors, and the suppression files next to this one name
# findings inside CAF only.
supp_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:strict_string_checks=1:check_initialization_order=1:detect_stack_use_after_return=1:suppressions=$supp_dir/asan.supp"
export LSAN_OPTIONS="suppressions=$supp_dir/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$supp_dir/ubsan.supp"
