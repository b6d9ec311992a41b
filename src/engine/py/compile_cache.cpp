// compile_cache.cpp — see bytecode.h (compile_cached): one compile per (source, version, file)
// for the few programs a page or a CLI run uses, shared by the Program view and the simulator's
// lowering (each run used to compile its program twice: docs/benchmarks.md).
#include <list>
#include <mutex>

#include "engine/py/bytecode.h"

namespace gil::py {

namespace {

struct Entry {
    std::string source, filename;
    int minor = 0;
    std::shared_ptr<const ParsedProgram> program;
};

constexpr size_t kEntries = 16;  // the experiments' programs on a version or two, and an edited one

std::mutex g_mutex;
std::list<Entry> g_entries;  // most recently used first

}  // namespace

std::shared_ptr<const ParsedProgram> compile_cached(const std::string& source, int minor, const std::string& filename) {
    {
        std::lock_guard<std::mutex> lock(g_mutex);
        for (auto it = g_entries.begin(); it != g_entries.end(); ++it)
            if (it->minor == minor && it->filename == filename && it->source == source) {
                g_entries.splice(g_entries.begin(), g_entries, it);
                return it->program;
            }
    }
    // Compiled outside the lock (a compile error propagates and nothing is kept).
    auto p = std::make_shared<ParsedProgram>();
    p->module = parse(source);
    p->module.filename = filename;
    p->compiled = compile(p->module, minor, filename);
    std::lock_guard<std::mutex> lock(g_mutex);
    g_entries.push_front({source, filename, minor, p});
    if (g_entries.size() > kEntries) g_entries.pop_back();
    return p;
}

}  // namespace gil::py
