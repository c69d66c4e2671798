#!/bin/sh
# Which Python interpreter `make` uses (and .ci/run for its extra versions). POSIX sh, no bashisms.
#
#   find_python.sh [--venv DIR] VERSION...   the first interpreter of the VERSIONs (e.g. 3.11 3.12 3.13)
#                                            that runs; with --venv, first the one DIR was made with (its
#                                            pyvenv.cfg), if it runs and is one of them: a venv made with
#                                            PYTHON=... keeps its Python until PYTHON says otherwise
#   find_python.sh --resolve COMMAND         COMMAND if it runs; if it is a bare pythonX.Y that does not
#                                            (a pyenv shim of a version not selected), pyenv's X.Y
#
# For each version it tries pythonX.Y on PATH, then the pyenv installation of X.Y (installed but not
# selected: `pyenv global` lists it or not), then python3 if it is that version. Prints the path or
# command and exits 0; prints nothing and exits 1 when there is none.

version_of() {  # "3.12" if "$1" runs, nothing otherwise
    "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null
}

pyenv_python() {  # pyenv's newest-listed installation of version $1 that runs
    root=${PYENV_ROOT:-}
    [ -n "$root" ] || root=$(pyenv root 2>/dev/null) || root=
    [ -n "$root" ] || root=$HOME/.pyenv
    found=
    for candidate in "$root"/versions/"$1".*/bin/python"$1"; do
        [ "$(version_of "$candidate")" = "$1" ] && found=$candidate
    done
    [ -n "$found" ] && echo "$found"
}

find_version() {  # the first interpreter of version $1 that runs
    if [ "$(version_of "python$1")" = "$1" ]; then command -v "python$1"; return 0; fi
    pyenv_python "$1" && return 0
    if [ "$(version_of python3)" = "$1" ]; then command -v python3; return 0; fi
    return 1
}

if [ "${1:-}" = "--resolve" ]; then
    [ -n "${2:-}" ] || exit 1
    if [ -n "$(version_of "$2")" ]; then echo "$2"; exit 0; fi
    case $2 in
        python[0-9].[0-9]|python[0-9].[0-9][0-9]) pyenv_python "${2#python}" && exit 0 ;;
    esac
    echo "$2"  # left as given: `make setup` then says that it does not run
    exit 0
fi

if [ "${1:-}" = "--venv" ]; then
    cfg="${2:-}/pyvenv.cfg"
    shift 2
    if [ -f "$cfg" ]; then
        made_with=$(sed -n 's/^executable *= *//p' "$cfg" | head -n 1)
        have=$( [ -n "$made_with" ] && version_of "$made_with" )
        for version in "$@"; do
            if [ -n "$have" ] && [ "$have" = "$version" ]; then echo "$made_with"; exit 0; fi
        done
    fi
fi

for version in "$@"; do
    find_version "$version" && exit 0
done
exit 1
