; Inno Setup 6 script: the Windows installer of CRS Bedside, made from the one-folder bundle.
;
;   python build_scripts\build.py                                   (makes dist\crs-bedside\crs-bedside.exe)
;   iscc /DAppVersion=0.1.0 build_scripts\windows\crs-bedside.iss   (makes dist\crs-bedside-0.1.0-windows-setup.exe)
;
; build.py runs the second step itself when iscc.exe is on PATH or in Inno Setup's default folder.
; The installer offers "only for me" (no administrator rights) or "for all users". An upgrade replaces the program
; folder only: the database lives in %LOCALAPPDATA%\crs-bedside\crs-bedside.db (or wherever --db points) and is
; never touched by setup or by uninstall (docs\INSTALL.md).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef DistDir
  #define DistDir AddBackslash(SourcePath) + "..\..\dist"
#endif
#define AppName "CRS Bedside"
#define AppExe "crs-bedside.exe"
#define IconFile AddBackslash(SourcePath) + "..\..\resources\icons\crs-bedside.ico"

[Setup]
AppId={{C3D31AB6-9B01-4F81-81B9-ED52884CF8C8}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=CRS Bedside
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#DistDir}
OutputBaseFilename=crs-bedside-{#AppVersion}-windows-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; Remove the previous version's libraries so an upgrade never mixes two versions. Only the program folder.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\crs-bedside\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Record vitals, grade CRS and print handovers"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
