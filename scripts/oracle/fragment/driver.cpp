// Runs every case of a file through the oracle, one line out per case.
//
//   fragment-oracle CASES
//
// CASES has one case a line, tab-separated, strings as hex (bytes):
//   id  name  distribution-id(32 hex digits)  template|-  icon  system-dir  os-release-path|-
// ("-": WSL's default template / no os-release). Each output line is
//   id  flavor|-  version|-  kind:hex ...
// with every effect of the call in order: create (path), write (bytes),
// delete, mkdir, registry (name=value), warning (EMIT_USER_WARNING's
// reason), logged (what CATCH_LOG swallowed), and os-release-logged.

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "oracle.h"

namespace {

std::string Hex(const std::string& bytes)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char b : bytes)
    {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

std::string Unhex(const std::string& hex)
{
    if (hex.size() % 2 != 0)
    {
        throw std::runtime_error("odd hex length");
    }
    std::string out;
    for (size_t i = 0; i < hex.size(); i += 2)
    {
        out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    }
    return out;
}

std::vector<std::string> Split(const std::string& line)
{
    std::vector<std::string> fields;
    std::string field;
    std::istringstream in(line);
    while (std::getline(in, field, '\t'))
    {
        fields.push_back(field);
    }
    if (!line.empty() && line.back() == '\t')
    {
        fields.emplace_back();
    }
    return fields;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2)
    {
        std::cerr << "usage: fragment-oracle CASES\n";
        return 2;
    }
    if (const auto error = oracle::SelfTest(); !error.empty())
    {
        std::cerr << "fragment oracle: self-test failed: " << error << "\n";
        return 3;
    }
    std::ifstream cases(argv[1], std::ios::binary);
    if (!cases)
    {
        std::cerr << "fragment oracle: cannot read " << argv[1] << "\n";
        return 2;
    }
    std::string line;
    while (std::getline(cases, line))
    {
        const auto f = Split(line);
        if (f.size() != 7 || f[2].size() != 32)
        {
            std::cerr << "fragment oracle: malformed case line: " << line.substr(0, 80) << "\n";
            return 2;
        }
        oracle::Case c;
        c.name = Unhex(f[1]);
        const std::string id = Unhex(f[2]);
        std::copy(id.begin(), id.end(), c.id.begin());
        if (f[3] != "-")
        {
            c.templ = Unhex(f[3]);
        }
        c.icon = Unhex(f[4]);
        c.systemDirectory = Unhex(f[5]);
        if (f[6] != "-")
        {
            c.osRelease = Unhex(f[6]);
        }
        const oracle::Result r = oracle::Run(c);
        std::string out = f[0];
        out += "\t" + (r.flavor ? Hex(*r.flavor) : std::string("-"));
        out += "\t" + (r.version ? Hex(*r.version) : std::string("-"));
        for (const auto& [kind, data] : r.events)
        {
            out += "\t" + kind + ":" + Hex(data);
        }
        std::cout << out << "\n";
    }
    return 0;
}
