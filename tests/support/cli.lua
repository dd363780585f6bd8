-- Running programs from specs in a shell: the interpreter running busted,
-- and the drivefacts CLI with its environment set, stdout, stderr and the
-- exit status captured apart (or everything on a pseudo-terminal).

local files = require "support.files"

local quote = files.shell_quote

local M = {}

-- The source tree (DRIVEFACTS_SOURCE_DIR under ctest, else the current
-- directory: specs run by hand from the repository root).
M.ROOT = os.getenv("DRIVEFACTS_SOURCE_DIR") or "."

-- The interpreter running busted (`lua5.4 /usr/bin/busted` puts it in arg[-1]).
function M.interpreter()
    local i = 0
    while arg and arg[i - 1] do i = i - 1 end
    return i < 0 and arg[i] or "lua5.4"
end

-- "env -u NAME 'NAME=value' ..." for a table {NAME = value, NAME = false}:
-- every -u first, since env takes what follows an assignment for the command.
local function env_prefix(vars)
    local names = {}
    for name in pairs(vars) do names[#names + 1] = name end
    table.sort(names)
    local unset, set = {}, {}
    for _, name in ipairs(names) do
        if vars[name] == false then
            unset[#unset + 1] = "-u " .. name
        else
            set[#set + 1] = quote(name .. "=" .. vars[name])
        end
    end
    return table.concat({"env", table.concat(unset, " "), table.concat(set, " ")}, " ")
end

--- A runner of the CLI.
-- spec.command: the words that start it (e.g. {path} or {interpreter, path});
-- spec.env: the environment it always gets ({NAME = value}, false unsets),
-- so that the caller's terminal and settings do not leak into the results.
-- Returns run and run_tty:
--
-- run(args, opts): run with `args` (a list of words, not re-split);
--   opts.env: environment changes over spec.env;
--   opts.stdin: text for standard input (default: empty);
--   opts.stdout: a shell redirection target for stdout instead of capturing it;
--   opts.before: shell commands run first, in the same subshell (ulimit, a
--     FIFO's writer);
--   opts.stdin_command: a shell command whose output is piped to stdin
--     instead of opts.stdin;
--   opts.timeout: seconds after which timeout(1) stops the CLI (status 124).
--   Returns stdout, stderr, exit status.
--
-- run_tty(args, opts): run on a pseudo-terminal (util-linux `script`),
--   stdout and stderr both on it; opts.env as for run.  Returns what the
--   terminal received (with CRLF folded to LF) and the exit status.
function M.runner(spec)
    local function command_line(args, env)
        local vars = {}
        for name, value in pairs(spec.env or {}) do vars[name] = value end
        for name, value in pairs(env or {}) do vars[name] = value end
        local words = {env_prefix(vars)}
        for _, w in ipairs(spec.command) do words[#words + 1] = quote(w) end
        for _, a in ipairs(args) do words[#words + 1] = quote(a) end
        return table.concat(words, " ")
    end

    local function status_of(cmd)
        local p = assert(io.popen(cmd))
        local status = tonumber(p:read("*a"))
        p:close()
        return status
    end

    local function run(args, opts)
        opts = opts or {}
        local out, err = files.tempfile(), files.tempfile()
        local stdin = opts.stdin and files.tempfile(opts.stdin) or "/dev/null"
        local command = command_line(args, opts.env)
        if opts.timeout then command = ("timeout %d %s"):format(opts.timeout, command) end
        command = ("%s >%s 2>%s"):format(command, quote(opts.stdout or out), quote(err))
        if opts.stdin_command then
            command = ("%s | %s"):format(opts.stdin_command, command)
        else
            command = ("%s <%s"):format(command, quote(stdin))
        end
        if opts.before then command = ("%s\n%s"):format(opts.before, command) end
        local status = status_of(("(%s); echo $?"):format(command))
        return files.slurp(out), files.slurp(err), status
    end

    local function run_tty(args, opts)
        opts = opts or {}
        local out = files.tempfile()
        local status = status_of(("script -qec %s /dev/null </dev/null >%s 2>&1; echo $?"):format(
            quote(command_line(args, opts.env)), quote(out)))
        return (files.slurp(out):gsub("\r\n", "\n")), status
    end

    return run, run_tty
end

return M
