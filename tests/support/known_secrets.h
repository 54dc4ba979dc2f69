// The key material of every server this test process has started, for the
// checks of what clients receive: a client knows only an address (a crash
// test restarts a server on the same one), and no server may hand any
// client the keys of any server, so one list serves every channel.
#ifndef COMMENTS_TESTS_SUPPORT_KNOWN_SECRETS_H_
#define COMMENTS_TESTS_SUPPORT_KNOWN_SECRETS_H_

#include <string>
#include <vector>

namespace comments::testing {

// Adds `secrets` to the list; kept for the life of the process.
void RememberSecrets(const std::vector<std::string>& secrets);

// Everything remembered so far, each once.
std::vector<std::string> RememberedSecrets();

}  // namespace comments::testing

#endif  // COMMENTS_TESTS_SUPPORT_KNOWN_SECRETS_H_
