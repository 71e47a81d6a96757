from hcflash.entry import main

main()
