import TilbudCLI

TilbudCommand.mainExit()
