// Compiles each stdin line as a Falco filter with libsinsp's own compiler (Falco's engine compiles
// a rule's condition this way, after expanding its macros and lists); prints "ok" or "error: …".
// No inspector: the compiler needs none for the syscall fields (an unknown field crashes it, which
// the test counts as a failure too).
#include <sinsp.h>
#include <filter.h>
#include <iostream>
#include <string>
int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    try {
      sinsp_filter_compiler c(nullptr, line);
      delete c.compile();
      std::cout << "ok" << std::endl;
    } catch (const std::exception& e) {
      std::cout << "error: " << e.what() << std::endl;
    }
  }
}
