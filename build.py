"""`python build.py` == `obligraph build`: build graph/ from sources/."""

from obligraph.cli import main

if __name__ == "__main__":
    main(["build", *__import__("sys").argv[1:]])
