/* The body of the layer checks (Makefile.am): each links one layer's library
 * whole with only the layers under it. Linking is the check; this does nothing. */
int
main(void)
{
	return 0;
}
