/* Compiled-in name tables of Kosovo: Albanian and Serbian given and family names in their
 * canonical Latin spelling (Albanian, Serbian Latin with its diacritics), each table in
 * descending order of frequency (synth_person_make draws them skewed: Krasniqi, Gashi,
 * Berisha, Jovanović, Petrović are common, the last ones rare). Their Serbian Cyrillic forms,
 * Albanian spellings of Serbian names and plain-letter forms come from the conversions of
 * translit.c (Krasniqi -> Краснићи, Đorđević -> Gjorgjeviq, Djordjevic). Female given names
 * are in their definite form (Shpresa), as registers mostly write them. */
#include "synth_private.h"

#define T(arr)                                                                                     \
    {                                                                                              \
        arr, RK_ARRAY_LEN(arr)                                                                     \
    }

static const synth_name sq_male[] = {
    {"Agim", 0, 0},   {"Nderim", 0, 0},  {"Bekim", 0, 0},    {"Besim", 0, 0},   {"Fatmir", 0, 0},
    {"Driton", 0, 0}, {"Valon", 0, 0},   {"Arben", 0, 0},    {"Bujar", 0, 0},   {"Ilir", 0, 0},
    {"Ylber", 0, 0},  {"Skender", 0, 0}, {"Afrim", 0, 0},    {"Avni", 0, 0},    {"Bajram", 0, 0},
    {"Burim", 0, 0},  {"Naim", 0, 0},    {"Hasan", 0, 0},    {"Halil", 0, 0},   {"Ramadan", 0, 0},
    {"Rexhep", 0, 0}, {"Sadri", 0, 0},   {"Shaban", 0, 0},   {"Xhevdet", 0, 0}, {"Xhemajl", 0, 0},
    {"Fadil", 0, 0},  {"Fehmi", 0, 0},   {"Hysen", 0, 0},    {"Isa", 0, 0},     {"Ismet", 0, 0},
    {"Jetmir", 0, 0}, {"Kujtim", 0, 0},  {"Lulzim", 0, 0},   {"Mentor", 0, 0},  {"Muharrem", 0, 0},
    {"Nexhat", 0, 0}, {"Qazim", 0, 0},   {"Rrahim", 0, 0},   {"Sabri", 0, 0},   {"Sami", 0, 0},
    {"Selim", 0, 0},  {"Shefqet", 0, 0}, {"Shkëlzen", 0, 0}, {"Tahir", 0, 0},   {"Ukshin", 0, 0},
    {"Vehbi", 0, 0},  {"Xhafer", 0, 0},  {"Zenel", 0, 0},    {"Adem", 0, 0},    {"Ahmet", 0, 0},
    {"Besnik", 0, 0}, {"Blerim", 0, 0},  {"Dardan", 0, 0},   {"Demë", 0, 0},    {"Enver", 0, 0},
    {"Fitim", 0, 0},  {"Gëzim", 0, 0},   {"Hajdar", 0, 0},   {"Hamdi", 0, 0},   {"Ibrahim", 0, 0},
    {"Idriz", 0, 0},  {"Jashar", 0, 0},  {"Lirim", 0, 0},    {"Mehmet", 0, 0},  {"Muhamet", 0, 0},
    {"Musa", 0, 0},   {"Nazmi", 0, 0},   {"Osman", 0, 0},    {"Qerim", 0, 0},   {"Ramë", 0, 0},
    {"Rifat", 0, 0},  {"Sefer", 0, 0},   {"Sylejman", 0, 0}, {"Ymer", 0, 0},    {"Gjergj", 0, 0},
    {"Agron", 0, 0},  {"Ardian", 0, 0},  {"Artan", 0, 0},    {"Astrit", 0, 0},  {"Bashkim", 0, 0},
    {"Bedri", 0, 0},  {"Dritan", 0, 0},  {"Dhimitër", 0, 0}, {"Gjon", 0, 0},    {"Haki", 0, 0},
    {"Imer", 0, 0},   {"Kadri", 0, 0},   {"Latif", 0, 0},    {"Mustafë", 0, 0}};

static const synth_name sq_female[] = {
    {"Shpresa", 0, 0},  {"Drita", 0, 0},     {"Vjosa", 0, 0},    {"Valbona", 0, 0},
    {"Mimoza", 0, 0},   {"Arbërie", 0, 0},   {"Blerta", 0, 0},   {"Besa", 0, 0},
    {"Donika", 0, 0},   {"Fatime", 0, 0},    {"Fatmire", 0, 0},  {"Hava", 0, 0},
    {"Hajrije", 0, 0},  {"Lumturije", 0, 0}, {"Lirie", 0, 0},    {"Merita", 0, 0},
    {"Nazmije", 0, 0},  {"Qamile", 0, 0},    {"Rukije", 0, 0},   {"Sabrije", 0, 0},
    {"Sevdije", 0, 0},  {"Shqipe", 0, 0},    {"Teuta", 0, 0},    {"Violeta", 0, 0},
    {"Xhemile", 0, 0},  {"Zoja", 0, 0},      {"Zyra", 0, 0},     {"Afërdita", 0, 0},
    {"Ajshe", 0, 0},    {"Bukurije", 0, 0},  {"Emine", 0, 0},    {"Feride", 0, 0},
    {"Gjyle", 0, 0},    {"Hyrije", 0, 0},    {"Igballe", 0, 0},  {"Kimete", 0, 0},
    {"Lumnije", 0, 0},  {"Mirvete", 0, 0},   {"Nexhmije", 0, 0}, {"Remzije", 0, 0},
    {"Sanije", 0, 0},   {"Time", 0, 0},      {"Vlora", 0, 0},    {"Xhevahire", 0, 0},
    {"Zarife", 0, 0},   {"Elife", 0, 0},     {"Minire", 0, 0},   {"Sherife", 0, 0},
    {"Ganimete", 0, 0}, {"Shkurte", 0, 0}};

static const synth_name sq_family[] = {
    {"Krasniqi", 0, 0}, {"Gashi", 0, 0},     {"Berisha", 0, 0},     {"Morina", 0, 0},
    {"Hoxha", 0, 0},    {"Shala", 0, 0},     {"Bytyqi", 0, 0},      {"Kastrati", 0, 0},
    {"Hasani", 0, 0},   {"Rexhepi", 0, 0},   {"Kelmendi", 0, 0},    {"Thaçi", 0, 0},
    {"Rama", 0, 0},     {"Hajdari", 0, 0},   {"Ahmeti", 0, 0},      {"Bajrami", 0, 0},
    {"Ramadani", 0, 0}, {"Mustafa", 0, 0},   {"Zeqiri", 0, 0},      {"Osmani", 0, 0},
    {"Islami", 0, 0},   {"Sylejmani", 0, 0}, {"Musliu", 0, 0},      {"Jashari", 0, 0},
    {"Halimi", 0, 0},   {"Haxhiu", 0, 0},    {"Kryeziu", 0, 0},     {"Mehmeti", 0, 0},
    {"Avdiu", 0, 0},    {"Zeka", 0, 0},      {"Syla", 0, 0},        {"Hyseni", 0, 0},
    {"Salihu", 0, 0},   {"Qerimi", 0, 0},    {"Dervishi", 0, 0},    {"Ibrahimi", 0, 0},
    {"Bekteshi", 0, 0}, {"Demaj", 0, 0},     {"Gjoka", 0, 0},       {"Kuçi", 0, 0},
    {"Limani", 0, 0},   {"Maloku", 0, 0},    {"Nimani", 0, 0},      {"Pllana", 0, 0},
    {"Qorri", 0, 0},    {"Rrustemi", 0, 0},  {"Sadiku", 0, 0},      {"Shabani", 0, 0},
    {"Tahiri", 0, 0},   {"Uka", 0, 0},       {"Veliu", 0, 0},       {"Xhemaili", 0, 0},
    {"Ymeri", 0, 0},    {"Zymberi", 0, 0},   {"Llapashtica", 0, 0}, {"Dema", 0, 0},
    {"Elezi", 0, 0},    {"Fazliu", 0, 0},    {"Gërguri", 0, 0},     {"Haliti", 0, 0},
    {"Imeri", 0, 0},    {"Jakupi", 0, 0},    {"Kabashi", 0, 0},     {"Lushtaku", 0, 0},
    {"Mazreku", 0, 0},  {"Nura", 0, 0},      {"Ollomani", 0, 0},    {"Pacolli", 0, 0},
    {"Qehaja", 0, 0},   {"Rugova", 0, 0},    {"Sejdiu", 0, 0},      {"Topalli", 0, 0},
    {"Ukaj", 0, 0},     {"Vitia", 0, 0},     {"Xhafa", 0, 0},       {"Zhuri", 0, 0},
    {"Dibrani", 0, 0},  {"Alushi", 0, 0},    {"Bislimi", 0, 0},     {"Çeku", 0, 0},
    {"Dobruna", 0, 0},  {"Feta", 0, 0},      {"Gecaj", 0, 0},       {"Hoti", 0, 0},
    {"Dushi", 0, 0},    {"Lladrovci", 0, 0}};

static const synth_name sr_male[] = {
    {"Dragan", 0, 0},   {"Zoran", 0, 0},     {"Milan", 0, 0},      {"Nenad", 0, 0},
    {"Goran", 0, 0},    {"Dejan", 0, 0},     {"Aleksandar", 0, 0}, {"Nikola", 0, 0},
    {"Marko", 0, 0},    {"Stefan", 0, 0},    {"Miloš", 0, 0},      {"Srđan", 0, 0},
    {"Željko", 0, 0},   {"Jovan", 0, 0},     {"Petar", 0, 0},      {"Slobodan", 0, 0},
    {"Miroslav", 0, 0}, {"Ljubiša", 0, 0},   {"Đorđe", 0, 0},      {"Bojan", 0, 0},
    {"Predrag", 0, 0},  {"Dušan", 0, 0},     {"Vladimir", 0, 0},   {"Milorad", 0, 0},
    {"Radomir", 0, 0},  {"Dragoljub", 0, 0}, {"Živojin", 0, 0},    {"Miodrag", 0, 0},
    {"Momčilo", 0, 0},  {"Novica", 0, 0},    {"Obrad", 0, 0},      {"Ratko", 0, 0},
    {"Saša", 0, 0},     {"Stojan", 0, 0},    {"Tomislav", 0, 0},   {"Vojislav", 0, 0},
    {"Zlatko", 0, 0},   {"Branislav", 0, 0}, {"Čedomir", 0, 0},    {"Dobrivoje", 0, 0},
    {"Gojko", 0, 0},    {"Ivan", 0, 0},      {"Lazar", 0, 0},      {"Milutin", 0, 0},
    {"Mirko", 0, 0},    {"Nebojša", 0, 0},   {"Radovan", 0, 0},    {"Siniša", 0, 0},
    {"Stanko", 0, 0},   {"Svetozar", 0, 0},  {"Uroš", 0, 0},       {"Vukašin", 0, 0},
    {"Budimir", 0, 0},  {"Dragiša", 0, 0},   {"Života", 0, 0},     {"Boško", 0, 0},
    {"Veselin", 0, 0},  {"Đurađ", 0, 0},     {"Sreten", 0, 0},     {"Milivoje", 0, 0}};

static const synth_name sr_female[] = {
    {"Milica", 0, 0},   {"Jelena", 0, 0},   {"Ana", 0, 0},     {"Marija", 0, 0},
    {"Dragana", 0, 0},  {"Snežana", 0, 0},  {"Vesna", 0, 0},   {"Ljiljana", 0, 0},
    {"Gordana", 0, 0},  {"Jasmina", 0, 0},  {"Slavica", 0, 0}, {"Biljana", 0, 0},
    {"Zorica", 0, 0},   {"Mirjana", 0, 0},  {"Danica", 0, 0},  {"Radmila", 0, 0},
    {"Stana", 0, 0},    {"Dobrila", 0, 0},  {"Desanka", 0, 0}, {"Zagorka", 0, 0},
    {"Nada", 0, 0},     {"Olivera", 0, 0},  {"Ružica", 0, 0},  {"Slobodanka", 0, 0},
    {"Vera", 0, 0},     {"Živka", 0, 0},    {"Jovanka", 0, 0}, {"Milena", 0, 0},
    {"Nevena", 0, 0},   {"Branka", 0, 0},   {"Verica", 0, 0},  {"Dušanka", 0, 0},
    {"Stojanka", 0, 0}, {"Ljubica", 0, 0},  {"Kosara", 0, 0},  {"Mileva", 0, 0},
    {"Smiljana", 0, 0}, {"Svetlana", 0, 0}, {"Tanja", 0, 0},   {"Violeta", 0, 0},
    {"Đurđa", 0, 0},    {"Bosiljka", 0, 0}, {"Cveta", 0, 0},   {"Jagoda", 0, 0},
    {"Persida", 0, 0}};

static const synth_name sr_family[] = {
    {"Jovanović", 0, 0},    {"Petrović", 0, 0},    {"Nikolić", 0, 0},    {"Marković", 0, 0},
    {"Đorđević", 0, 0},     {"Stojanović", 0, 0},  {"Ilić", 0, 0},       {"Stanković", 0, 0},
    {"Pavlović", 0, 0},     {"Milošević", 0, 0},   {"Popović", 0, 0},    {"Đukić", 0, 0},
    {"Kostić", 0, 0},       {"Lazić", 0, 0},       {"Mitrović", 0, 0},   {"Živković", 0, 0},
    {"Ristić", 0, 0},       {"Todorović", 0, 0},   {"Stevanović", 0, 0}, {"Simić", 0, 0},
    {"Kovačević", 0, 0},    {"Tomić", 0, 0},       {"Janković", 0, 0},   {"Milenković", 0, 0},
    {"Savić", 0, 0},        {"Ivanović", 0, 0},    {"Vasić", 0, 0},      {"Radovanović", 0, 0},
    {"Obradović", 0, 0},    {"Lukić", 0, 0},       {"Perić", 0, 0},      {"Filipović", 0, 0},
    {"Mladenović", 0, 0},   {"Spasić", 0, 0},      {"Stošić", 0, 0},     {"Trajković", 0, 0},
    {"Denić", 0, 0},        {"Arsić", 0, 0},       {"Jevtić", 0, 0},     {"Krstić", 0, 0},
    {"Zdravković", 0, 0},   {"Aleksić", 0, 0},     {"Antić", 0, 0},      {"Babić", 0, 0},
    {"Bogdanović", 0, 0},   {"Božović", 0, 0},     {"Cvetković", 0, 0},  {"Ćirić", 0, 0},
    {"Dimitrijević", 0, 0}, {"Đurić", 0, 0},       {"Gajić", 0, 0},      {"Grujić", 0, 0},
    {"Ignjatović", 0, 0},   {"Jakšić", 0, 0},      {"Knežević", 0, 0},   {"Lalić", 0, 0},
    {"Maksimović", 0, 0},   {"Milić", 0, 0},       {"Nešić", 0, 0},      {"Ognjanović", 0, 0},
    {"Pejčić", 0, 0},       {"Radić", 0, 0},       {"Rakić", 0, 0},      {"Sekulić", 0, 0},
    {"Tasić", 0, 0},        {"Urošević", 0, 0},    {"Veljković", 0, 0},  {"Vučković", 0, 0},
    {"Zarić", 0, 0},        {"Šarić", 0, 0},       {"Čolić", 0, 0},      {"Džinić", 0, 0},
    {"Žarković", 0, 0},     {"Milovanović", 0, 0}, {"Vuković", 0, 0},    {"Mihajlović", 0, 0},
    {"Stojković", 0, 0},    {"Pešić", 0, 0},       {"Ranđelović", 0, 0}, {"Dinić", 0, 0},
    {"Nedeljković", 0, 0},  {"Stamenković", 0, 0}, {"Gavrilović", 0, 0}, {"Kojić", 0, 0},
    {"Vulić", 0, 0}};

const synth_table synth_sq_male = T(sq_male), synth_sq_female = T(sq_female),
                  synth_sq_family = T(sq_family);
const synth_table synth_sr_male = T(sr_male), synth_sr_female = T(sr_female),
                  synth_sr_family = T(sr_family);
