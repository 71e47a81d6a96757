"""The Textual review app. Screens call `hcflash.service`; none of them speaks SQL."""
