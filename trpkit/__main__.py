from trpkit.start import main

main()
