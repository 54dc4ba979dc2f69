# ThreadSanitizer builds: every binary's calls into Debian's (uninstrumented)
# Abseil synchronization go through the wrappers of
# tests/tsan/absl_sync_annotations.cc, which tell the sanitizer what those
# calls synchronize. The wrapped symbols are the ones that file names.
set(absl_sync_annotations ${PROJECT_SOURCE_DIR}/tests/tsan/absl_sync_annotations.cc)
file(READ ${absl_sync_annotations} annotations_text)
string(REGEX MATCHALL "_ZN?K?4absl7debian3[A-Za-z0-9_]+" wrapped_symbols
  "${annotations_text}")
list(REMOVE_DUPLICATES wrapped_symbols)
if(NOT wrapped_symbols)
  message(FATAL_ERROR "${absl_sync_annotations} names no Abseil symbol")
endif()

# Before the library, whose own calls (__real_...) must reach Abseil.
foreach(symbol IN LISTS wrapped_symbols)
  add_link_options(-Wl,--wrap=${symbol})
endforeach()
# A shared library, so that where it stands on a link line does not matter.
add_library(comments_tsan_absl_sync SHARED ${absl_sync_annotations})
target_link_libraries(comments_tsan_absl_sync PRIVATE absl::synchronization)
link_libraries(comments_tsan_absl_sync)

# scripts/sanitize.sh runs it first: a guarded count passes, an unguarded
# one is still reported.
add_executable(tsan_canary ${PROJECT_SOURCE_DIR}/tests/tsan/tsan_canary.cc)
target_link_libraries(tsan_canary PRIVATE absl::synchronization Threads::Threads)
