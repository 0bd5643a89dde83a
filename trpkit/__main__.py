from trpkit.cli import main

main()
