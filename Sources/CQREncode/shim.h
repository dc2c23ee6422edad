#include <qrencode.h>

// Exported by libqrencode 4 (Debian's libqrencode4 4.1.1) though qrencode.h does not declare them: the two steps of
// QRcode_encodeString, so that the mask can be given instead of chosen. QRcode_encodeString tries all eight masks and
// scores each (ISO/IEC 18004 §7.8.3); that scoring was 92 % of a code's cost, 2.3 CPU-seconds of a 10k build.
extern int Split_splitStringToQRinput(const char *string, QRinput *input, QRencodeMode hint, int casesensitive);
extern QRcode *QRcode_encodeMask(QRinput *input, int mask);
